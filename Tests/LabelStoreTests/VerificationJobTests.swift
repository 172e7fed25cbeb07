import Foundation
import GroundTruthFormat
import Testing

@testable import LabelStore

/// Bounding-box verification jobs (Ground Truth's PRE-/ACS-VerificationBoundingBox): the previous job's boxes are
/// drawn read-only, the worker answers each image good or bad, and the output records the verdict.
@Suite("Verification labeling jobs in the store")
struct VerificationJobTests {
    static let created = Date(timeIntervalSince1970: 1_800_000_000)

    static func request(_ name: String = "bees-verify") -> LabelingJobRequest {
        var request = AdjustmentJobTests.request(name, type: .verification)
        request.labelAttributeName = "bees-verified"
        return request
    }

    @Test("answers good and bad (with a comment) give Ground Truth's label-verification lines, exactly")
    func outputLines() throws {
        let store = try LabelStore.inMemory()
        let job = try store.createLabelingJob(Self.request(), now: Self.created, loadImage: LabelingJobTests.loader(try LabelingJobTests.images()))
        #expect(job.taskType == .verification && job.reviewsLabelAttributeName == "bees")
        #expect(job.counters == LabelCounters(labeled: 0, failed: 0, unlabeled: 2))
        let images = try store.images(in: try store.dataset(named: job.datasetName))
        // The previous boxes are shown (drawn), classes matched by name.
        #expect(try store.boxes(onImage: images[0].id).map(\.annotation.classId) == [0, 1])

        try store.apply([.verify(imageId: images[0].id, VerificationAnswer(.good, comment: "  "))], now: Self.created.addingTimeInterval(1.5))
        #expect(try store.labelingJob(named: job.name).status == .inProgress)
        try store.apply(
            [.verify(imageId: images[1].id, VerificationAnswer(.bad, comment: "the \"bee\" box is too wide"))], now: Self.created.addingTimeInterval(2))
        let done = try store.labelingJob(named: job.name)
        #expect(done.status == .completed && done.counters == LabelCounters(labeled: 2, failed: 0, unlabeled: 0))

        let inputs = AdjustmentJobTests.input.split(separator: "\n").map(String.init)
        let lines = try store.outputManifest(ofLabelingJob: job.name).split(separator: "\n").map(String.init)
        #expect(
            lines[0] == inputs[0].dropLast()
                + #", "bees-verified": "0", "bees-verified-metadata": {"class-name": "good", "confidence": 0.0, "type": "groundtruth/label-verification", "job-name": "labeling-job/bees-verify", "human-annotated": "yes", "creation-date": "2027-01-15T08:00:01.500000"}}"#
        )
        #expect(
            lines[1] == inputs[1].dropLast()
                + #", "bees-verified": "1", "bees-verified-metadata": {"class-name": "bad", "confidence": 0.0, "type": "groundtruth/label-verification", "job-name": "labeling-job/bees-verify", "human-annotated": "yes", "creation-date": "2027-01-15T08:00:02.000000", "worker-feedback": [{"comment": "the \"bee\" box is too wide"}]}}"#
        )
        #expect(try store.verificationAnswer(ofImage: images[1].id) == VerificationAnswer(.bad, comment: "the \"bee\" box is too wide"))
        #expect(try store.verificationAnswer(ofImage: images[0].id) == VerificationAnswer(.good))
        let tasks = try store.submittedTasks(ofLabelingJob: job.name)
        #expect(tasks.map { $0.verification?.className } == ["good", "bad"] && tasks.allSatisfy(\.isHumanAnswer))
    }

    @Test("a verification task's boxes are read-only; verify is refused outside verification jobs")
    func refusals() throws {
        let store = try LabelStore.inMemory()
        let load = LabelingJobTests.loader(try LabelingJobTests.images())
        let job = try store.createLabelingJob(Self.request(), loadImage: load)
        let image = try #require(try store.images(in: try store.dataset(named: job.datasetName)).first)
        let box = try #require(try store.boxes(onImage: image.id).first)
        func refusal(_ edit: LabelEdit) -> String {
            do {
                try store.apply([edit])
                return "applied"
            } catch {
                return "\(error)"
            }
        }
        for edit in [
            LabelEdit.add(imageId: image.id, box.annotation), .update(boxId: box.id, box.annotation), .delete(boxId: box.id), .submit(imageId: image.id),
            .undo(imageId: image.id),
        ] {
            #expect(refusal(edit).contains("boxes are read-only; answer it good or bad"))
        }
        #expect(refusal(.verify(imageId: image.id, VerificationAnswer(.bad, comment: String(repeating: "x", count: 2_001)))).contains("at most 2000"))
        #expect(try store.boxes(onImage: image.id).count == 2)
        let adjustment = try store.createLabelingJob(AdjustmentJobTests.request("bees-adjust"), loadImage: load)
        let other = try #require(try store.images(in: try store.dataset(named: adjustment.datasetName)).first)
        #expect(refusal(.verify(imageId: other.id, VerificationAnswer(.good))).contains("not a task of a bounding-box verification job"))
        var plain = Self.request("c")
        plain.inputManifest = #"{"source-ref": "s3://bucket/input/2.jpg"}"#
        #expect(throws: LabelStoreError.self) { try store.createLabelingJob(plain, loadImage: load) }
    }

    @Test("tasks not submitted within TaskAvailabilityLifetimeInSeconds expire: the job completes with what was submitted")
    func taskAvailabilityLifetime() throws {
        let store = try LabelStore.inMemory()
        var request = LabelingJobRequest(
            name: "bees-timed", labelAttributeName: "bees", inputManifest: LabelingJobTests.input, categories: LabelingJobTests.bees,
            taskAvailabilityLifetimeInSeconds: 600)
        let job = try store.createLabelingJob(request, now: Self.created, loadImage: LabelingJobTests.loader(try LabelingJobTests.images()))
        #expect(job.taskAvailabilityLifetimeInSeconds == 600)
        let images = try store.images(in: try store.dataset(named: job.datasetName))
        try store.apply([.submit(imageId: images[0].id)], now: Self.created.addingTimeInterval(599))
        try store.expireLabelingJobs(now: Self.created.addingTimeInterval(599.9))
        #expect(try store.labelingJob(named: job.name).status == .inProgress)

        // A submission after the lifetime does not count: the job ended at its expiry.
        try store.apply([.submit(imageId: images[1].id)], now: Self.created.addingTimeInterval(601))
        let expired = try store.labelingJob(named: job.name)
        #expect(expired.status == .completed && expired.lastModifiedAt == Self.created.addingTimeInterval(600))
        #expect(expired.counters == LabelCounters(labeled: 1, failed: 2, unlabeled: 1))
        let output = try store.outputManifest(ofLabelingJob: job.name).split(separator: "\n")
        #expect(output[0].contains("\"bees-metadata\"") && output[1] == #"{"source-ref": "s3://bucket/input/2.jpg", "site": "hive 2", "taken": {"by": "me"}}"#)

        // The daemon's path: no write at all, expired when it reports the job.
        request.name = "bees-idle"
        _ = try store.createLabelingJob(request, now: Self.created, loadImage: LabelingJobTests.loader(try LabelingJobTests.images()))
        try store.expireLabelingJobs(now: Self.created.addingTimeInterval(10_000))
        let idle = try store.labelingJob(named: "bees-idle")
        #expect(idle.status == .completed && idle.counters == LabelCounters(labeled: 0, failed: 2, unlabeled: 2))
        request.taskAvailabilityLifetimeInSeconds = 0
        request.name = "bees-zero"
        #expect(throws: LabelStoreError.self) { try store.createLabelingJob(request, loadImage: LabelingJobTests.loader([:])) }
    }
}
