@testable import SageMakerAPI
@testable import TrainingExecution
@testable import EndpointRuntime
@testable import ControlPlane
import AWSProtocol
import Foundation
import LabelStore
import Testing

@testable import JobService

/// `HumanTaskConfig.TaskAvailabilityLifetimeInSeconds` through the SageMaker API, with the request's clock
/// injected: a Describe after the lifetime sees the job Completed with what was submitted, and writes its output.
extension LabelingJobOperationsTests {
    @Test func tasksNotSubmittedWithinTheirLifetimeExpireAndTheJobCompletes() throws {
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        let creating = AWSRequestContext(region: "us-east-1", account: "123456789012", now: created)
        var request = try labelingRequest(name: "bees-timed", in: objects.store)
        request["HumanTaskConfig"]?["TaskAvailabilityLifetimeInSeconds"] = 3600
        _ = try service.handle("CreateLabelingJob", request, creating)
        try labels.apply([.submit(imageId: try images(of: "bees-timed")[0])], now: created.addingTimeInterval(60))
        func describe(after seconds: TimeInterval) throws -> JSONValue {
            let at = AWSRequestContext(region: "us-east-1", account: "123456789012", now: created.addingTimeInterval(seconds))
            return try service.handle("DescribeLabelingJob", ["LabelingJobName": "bees-timed"], at)
        }
        #expect(try describe(after: 3599)["LabelingJobStatus"] == "InProgress")
        let expired = try describe(after: 3601)
        #expect(expired["LabelingJobStatus"] == "Completed")
        #expect(expired["LabelCounters"] == ["TotalLabeled": 1, "HumanLabeled": 1, "MachineLabeled": 0, "FailedNonRetryableError": 0, "Unlabeled": 3])
        #expect(expired["LastModifiedTime"] == .double(created.addingTimeInterval(3600).timeIntervalSince1970))
        let lines = try outputManifest("bees-timed")
        #expect(lines.count == 4 && lines[0]["bees-metadata"] != nil && lines[1...].allSatisfy { $0["bees-metadata"] == nil })
    }
}
