import AWSProtocol
import Foundation
import LabelStore
import Logging
import ObjectStore
import Testing

@testable import JobService
@testable import ControlPlane
@testable import EndpointRuntime
@testable import SageMakerAPI

/// The labeling-job operations over an in-memory label store and a temporary object store: the request echoed,
/// counters and status following labels written straight into the store (as `ctl labels` does), the output
/// manifest written once when the job finishes, and AWS's errors.
@Suite struct LabelingJobOperationsTests {
    let service: SageMakerService
    let objects: TestStore
    let labels: LabelStore
    let context = AWSRequestContext(region: "us-east-1", account: "123456789012")

    init() throws {
        let store = try ControlPlaneStore.inMemory()
        objects = try TestStore()
        labels = try LabelStore.inMemory()
        service = SageMakerService(
            store: store,
            scheduler: RequiredOutputMembersTests.IdleScheduler(store: store),
            endpointHost: EndpointHost(store: store, objects: objects.store, logger: Logger(label: "test")),
            labels: labels,
            objects: objects.store
        )
    }

    func call(_ operation: String, _ input: JSONValue) throws -> JSONValue {
        try service.handle(operation, input, context)
    }

    func describe(_ name: String) throws -> JSONValue {
        try call("DescribeLabelingJob", ["LabelingJobName": .string(name)])
    }

    func create(_ name: String, images: Range<Int> = 0..<4, _ change: (inout JSONValue) -> Void = { _ in }) throws -> JSONValue {
        var request = try labelingRequest(name: name, images: images, in: objects.store)
        change(&request)
        return try call("CreateLabelingJob", request)
    }

    /// The job's images in input order, as `ctl labels … --dataset labeling-job/<name>` sees them.
    func images(of job: String) throws -> [Int64] {
        try labels.images(in: labels.dataset(named: "labeling-job/\(job)")).map(\.id)
    }

    func outputManifest(_ job: String) throws -> [JSONValue] {
        let text = String(decoding: try objects.store.get(S3URI("s3://models/labels/\(job)/manifests/output/output.manifest")!), as: UTF8.self)
        return try text.split(separator: "\n").map { try JSONValue.parse(Array($0.utf8)) }
    }

    func expectError(_ code: String, _ message: String? = nil, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected \(code)")
        } catch let error as AWSError {
            #expect(error.code == code)
            if let message { #expect(error.message == message) }
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aJobEchoesItsRequestAndCompletesWhenEveryImageIsLabeled() throws {
        let created = try create("bees-1")
        #expect(created == ["LabelingJobArn": "arn:aws:sagemaker:us-east-1:123456789012:labeling-job/bees-1"])
        let request = try labelingRequest(name: "bees-1", in: objects.store)
        var job = try describe("bees-1")
        for member in [
            "LabelingJobName", "LabelAttributeName", "InputConfig", "OutputConfig", "RoleArn", "LabelCategoryConfigS3Uri", "StoppingConditions",
            "HumanTaskConfig", "Tags",
        ] {
            #expect(job[member] == request[member], "\(member)")
        }
        #expect(job["LabelingJobStatus"] == "InProgress")
        #expect(job["LabelCounters"] == ["TotalLabeled": 0, "HumanLabeled": 0, "MachineLabeled": 0, "FailedNonRetryableError": 0, "Unlabeled": 4])
        #expect(job["JobReferenceCode"]?.stringValue?.hasPrefix("123456789012") == true)
        #expect(job["LabelingJobOutput"] == nil)

        let ids = try images(of: "bees-1")
        try labels.apply(BeeFixture.samples[0].boxes.map { .add(imageId: ids[0], $0) } + [.submit(imageId: ids[0])])
        try labels.apply([.add(imageId: ids[1], BeeFixture.samples[1].boxes[0]), .submit(imageId: ids[1])])
        try labels.apply([.submit(imageId: ids[2])])
        job = try describe("bees-1")
        #expect(job["LabelingJobStatus"] == "InProgress")
        #expect(job["LabelCounters"]?["TotalLabeled"] == 3)
        #expect(!objects.store.exists(S3URI("s3://models/labels/bees-1/manifests/output/output.manifest")!))

        try labels.apply([.submit(imageId: ids[3])])
        job = try describe("bees-1")
        #expect(job["LabelingJobStatus"] == "Completed")
        #expect(job["LabelCounters"] == ["TotalLabeled": 4, "HumanLabeled": 4, "MachineLabeled": 0, "FailedNonRetryableError": 0, "Unlabeled": 0])
        #expect(job["LabelingJobOutput"] == ["OutputDatasetS3Uri": "s3://models/labels/bees-1/manifests/output/output.manifest"])
        let lines = try outputManifest("bees-1")
        #expect(lines.count == 4)
        #expect(lines[0]["source-ref"] == .string(BeeFixture.imageURI(0)))
        #expect(lines[0]["bees"]?["annotations"]?.arrayValue?.count == BeeFixture.samples[0].boxes.count)
        #expect(lines[2]["bees"]?["annotations"] == [])
        #expect(lines[3]["bees-metadata"]?["job-name"] == "labeling-job/bees-1")
        #expect(lines[3]["bees-metadata"]?["class-map"] == ["0": "bee"])

        // Finished is final: later label writes change neither the document nor the manifest.
        try labels.apply([.undo(imageId: ids[3])])
        #expect(try describe("bees-1") == job)
        #expect(try outputManifest("bees-1") == lines)
    }

    @Test func stoppingWritesWhatIsLabeled() throws {
        _ = try create("stop-me")
        try labels.apply([.submit(imageId: try images(of: "stop-me")[1])])
        #expect(try call("StopLabelingJob", ["LabelingJobName": "stop-me"]) == [:])
        let job = try describe("stop-me")
        #expect(job["LabelingJobStatus"] == "Stopped")
        #expect(job["LabelCounters"]?["TotalLabeled"] == 1)
        #expect(job["LabelCounters"]?["Unlabeled"] == 3)
        let lines = try outputManifest("stop-me")
        #expect(lines.map { $0["stop-me"] == nil && $0["bees"] != nil } == [false, true, false, false])
        #expect(try call("StopLabelingJob", ["LabelingJobName": "stop-me"]) == [:])
        #expect(try describe("stop-me") == job)
    }

    @Test func aStoppingConditionCompletesTheJob() throws {
        _ = try create("two-of-four") { $0["StoppingConditions"] = ["MaxHumanLabeledObjectCount": 2] }
        let ids = try images(of: "two-of-four")
        try labels.apply([.submit(imageId: ids[0]), .submit(imageId: ids[3])])
        let job = try describe("two-of-four")
        #expect(job["LabelingJobStatus"] == "Completed")
        #expect(job["LabelCounters"]?["Unlabeled"] == 2)
        #expect(try outputManifest("two-of-four").filter { $0["bees"] != nil }.count == 2)
    }

    @Test func machineMadeLabelsCountAsMachineLabeled() throws {
        _ = try create("prelabeled", images: 0..<2)
        let ids = try images(of: "prelabeled")
        try labels.apply([.add(imageId: ids[0], BeeFixture.samples[0].boxes[0]), .submit(imageId: ids[0])], origin: .machine)
        try labels.apply([.submit(imageId: ids[1])])
        let job = try describe("prelabeled")
        #expect(job["LabelCounters"] == ["TotalLabeled": 2, "HumanLabeled": 1, "MachineLabeled": 1, "FailedNonRetryableError": 0, "Unlabeled": 0])
        #expect(try outputManifest("prelabeled").map { $0["bees-metadata"]?["human-annotated"] } == ["no", "yes"])
    }

    @Test func unreadableImagesCountAsFailedAndAJobOfNothingButThemFails() throws {
        try objects.put(#"{"source-ref": "s3://bees/images/missing.jpg"}"# + "\n", at: "s3://bees/labeling/broken.manifest")
        _ = try create("broken") {
            $0["InputConfig"]?["DataSource"]?["S3DataSource"]?["ManifestS3Uri"] = "s3://bees/labeling/broken.manifest"
        }
        let job = try describe("broken")
        #expect(job["LabelingJobStatus"] == "Failed")
        #expect(job["LabelCounters"]?["FailedNonRetryableError"] == 1)
        #expect(job["FailureReason"]?.stringValue?.hasPrefix("ClientError: no image of the input manifest could be read; line 1:") == true)
        #expect(job["LabelingJobOutput"] == nil)
    }

    @Test func errorsAreAWSs() throws {
        _ = try create("taken")
        expectError("ResourceInUse", "A labeling job with the name taken already exists.") { _ = try create("taken") }
        expectError("ValidationException", "Could not find requested job with name nope") { _ = try describe("nope") }
        expectError("ValidationException", "Could not find requested job with name nope") {
            _ = try call("StopLabelingJob", ["LabelingJobName": "nope"])
        }
        expectError(
            "ValidationException",
            "InputConfig.DataSource.S3DataSource.ManifestS3Uri s3://bees/none.manifest: no such object; upload it before creating the job."
        ) {
            _ = try create("no-manifest") { $0["InputConfig"]?["DataSource"]?["S3DataSource"]?["ManifestS3Uri"] = "s3://bees/none.manifest" }
        }
        try objects.put("{not json", at: "s3://bees/labeling/bad.json")
        expectError("ValidationException") {
            _ = try create("bad-config") { $0["LabelCategoryConfigS3Uri"] = "s3://bees/labeling/bad.json" }
        }
        try objects.put("{\"source-ref\": 3}\n", at: "s3://bees/labeling/bad.manifest")
        expectError("ValidationException") {
            _ = try create("bad-manifest") { $0["InputConfig"]?["DataSource"]?["S3DataSource"]?["ManifestS3Uri"] = "s3://bees/labeling/bad.manifest" }
        }
        expectError("ValidationException") { _ = try create("no-bucket") { $0["OutputConfig"] = ["S3OutputPath": "s3://nowhere/out/"] } }
        expectError("ValidationException") { _ = try create("no-config") { $0["LabelCategoryConfigS3Uri"] = nil } }
        // A refused create leaves nothing behind: the name is free.
        _ = try create("no-manifest")
        #expect(try describe("no-manifest")["LabelingJobStatus"] == "InProgress")
    }

    @Test func listingFiltersSortsAndPages() throws {
        for name in ["a-job", "b-job", "c-other"] { _ = try create(name, images: 0..<2) }
        try labels.apply(try images(of: "b-job").map { .submit(imageId: $0) })
        let names = { (input: JSONValue) throws -> [String] in
            try call("ListLabelingJobs", input)["LabelingJobSummaryList"]?.arrayValue?.compactMap { $0["LabelingJobName"]?.stringValue } ?? []
        }
        #expect(try names([:]) == ["a-job", "b-job", "c-other"])
        #expect(try names(["StatusEquals": "Completed"]) == ["b-job"])
        #expect(try names(["StatusEquals": "InProgress", "NameContains": "job"]) == ["a-job"])
        #expect(try names(["SortBy": "Name", "SortOrder": "Descending"]) == ["c-other", "b-job", "a-job"])
        let first = try call("ListLabelingJobs", ["MaxResults": 2, "SortBy": "Name"])
        let summary = first["LabelingJobSummaryList"]?.arrayValue?.first
        #expect(summary?["WorkteamArn"] == "arn:aws:sagemaker:us-east-1:123456789012:workteam/private-crowd/bees")
        #expect(summary?["PreHumanTaskLambdaArn"] == "arn:aws:lambda:us-east-1:432418664414:function:PRE-BoundingBox")
        #expect(summary?["AnnotationConsolidationLambdaArn"] == "arn:aws:lambda:us-east-1:432418664414:function:ACS-BoundingBox")
        let next = try #require(first["NextToken"])
        #expect(try names(["MaxResults": 2, "SortBy": "Name", "NextToken": next]) == ["c-other"])
    }
}
