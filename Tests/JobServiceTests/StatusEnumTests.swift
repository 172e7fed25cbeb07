@testable import SageMakerAPI
@testable import TrainingExecution
@testable import EndpointRuntime
@testable import ControlPlane
import Testing

@testable import AWSProtocol
@testable import JobService

/// The status enums hold exactly botocore's values, so every stored or received status reads as one of them, and
/// each is stored as the same text it has on the wire.
@Suite struct StatusEnumTests {
    func modelValues(_ shape: String) -> [String] { ServiceModel.sageMaker.shape(shape).enumValues ?? [] }

    @Test func theJobAndEndpointStatusesAreTheModels() {
        #expect(TrainingJobStatus.allCases.map(\.rawValue) == modelValues("TrainingJobStatus"))
        #expect(TransformJobStatus.allCases.map(\.rawValue) == modelValues("TransformJobStatus"))
        #expect(EndpointStatus.allCases.map(\.rawValue) == modelValues("EndpointStatus"))
        #expect(LabelingJobStatus.allCases.map(\.rawValue) == modelValues("LabelingJobStatus"))
    }

    @Test func secondaryStatusIsBotocoresList() {
        // botocore's SecondaryStatus enum (an output-only shape, not in the extracted validation shapes).
        #expect(
            SecondaryStatus.allCases.map(\.rawValue) == [
                "Starting", "LaunchingMLInstances", "PreparingTrainingStack", "Downloading", "DownloadingTrainingImage", "Training", "Uploading",
                "Stopping", "Stopped", "MaxRuntimeExceeded", "Completed", "Failed", "Interrupted", "MaxWaitTimeExceeded", "Updating", "Restarting",
                "Pending",
            ]
        )
    }

    @Test func completedFailedAndStoppedAreTheFinalJobStatuses() {
        #expect(TrainingJobStatus.allCases.filter(\.isTerminal) == [.completed, .failed, .stopped])
        #expect(TransformJobStatus.allCases.filter(\.isTerminal) == [.completed, .failed, .stopped])
        #expect(LabelingJobStatus.allCases.filter(\.isTerminal) == [.completed, .failed, .stopped])
    }

    @Test func aRecordWrittenBeforeTheEnumsReadsTyped() {
        var record = ResourceRecord(kind: .endpoint, name: "e", arn: "a", creationTime: 1, lastModifiedTime: 1, status: "InService", document: [:])
        #expect(record.status(as: EndpointStatus.self) == .inService)
        record.status = "Sideways"
        #expect(record.status(as: EndpointStatus.self) == nil)
    }
}
