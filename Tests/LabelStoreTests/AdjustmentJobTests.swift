import Foundation
import GroundTruthFormat
import Testing

@testable import LabelStore

/// Bounding-box adjustment jobs (Ground Truth's PRE-/ACS-AdjustmentBoundingBox): the previous job's boxes are
/// pre-drawn, and the output adds the worker's boxes under the new attribute with `adjustment-status`.
@Suite("Adjustment labeling jobs in the store")
struct AdjustmentJobTests {
    /// Two images labeled by a previous job `bees` whose class map is `{"0": "wasp", "1": "bee"}` — the new job's
    /// categories are `bee, wasp`, so classes must be matched by name.
    static let input = """
        {"source-ref": "s3://bucket/input/10006450.jpg", "bees": {"image_size": [{"width": 500, "height": 500, "depth": 3}], "annotations": [{"class_id": 1, "left": 10, "top": 20.5, "width": 30, "height": 40}, {"class_id": 0, "left": 100, "top": 100, "width": 50, "height": 50}]}, "bees-metadata": {"class-map": {"0": "wasp", "1": "bee"}, "type": "groundtruth/object-detection", "job-name": "labeling-job/bees", "human-annotated": "yes", "objects": [{"confidence": 0}, {"confidence": 0}], "creation-date": "2026-12-01T10:00:00.000000"}}
        {"source-ref": "s3://bucket/input/2.jpg", "bees": {"image_size": [{"width": 64, "height": 48, "depth": 3}], "annotations": [{"class_id": 1, "left": 1, "top": 2, "width": 3, "height": 4}]}, "bees-metadata": {"class-map": {"0": "wasp", "1": "bee"}, "type": "groundtruth/object-detection", "job-name": "labeling-job/bees"}}
        """

    static func request(_ name: String, input: String = AdjustmentJobTests.input, type: LabelingTaskType = .adjustment) -> LabelingJobRequest {
        LabelingJobRequest(
            name: name, labelAttributeName: "bees-adjusted", inputManifest: input, categories: LabelCategoryConfig(names: ["bee", "wasp"]),
            taskType: type)
    }

    @Test("the previous boxes are pre-drawn, not submitted; the output has the adjusted boxes, adjustment-status, and the old label kept")
    func adjustment() throws {
        let store = try LabelStore.inMemory()
        let job = try store.createLabelingJob(Self.request("bees-review"), loadImage: LabelingJobTests.loader(try LabelingJobTests.images()))
        #expect(job.reviewsLabelAttributeName == "bees" && job.taskType == .adjustment && job.counters == LabelCounters(labeled: 0, failed: 0, unlabeled: 2))
        let images = try store.images(in: try store.dataset(named: job.datasetName))
        let first = try store.boxes(onImage: images[0].id).map(\.annotation)
        #expect(first == [GroundTruthAnnotation(classId: 0, left: 10, top: 20.5, width: 30, height: 40), GroundTruthAnnotation(classId: 1, left: 100, top: 100, width: 50, height: 50)])

        // The worker moves the wasp on the first image and accepts the second as it is.
        let wasp = try #require(try store.boxes(onImage: images[0].id).last)
        try store.apply([.update(boxId: wasp.id, GroundTruthAnnotation(classId: 1, left: 101, top: 100, width: 50, height: 50)), .submit(imageId: images[0].id)])
        try store.apply([.submit(imageId: images[1].id)])
        #expect(try store.labelingJob(named: "bees-review").status == .completed)

        let lines = try store.outputManifest(ofLabelingJob: "bees-review").split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let metadata = lines.map { $0["bees-adjusted-metadata"] as? [String: Any] }
        #expect(metadata.map { $0?["adjustment-status"] as? String } == ["adjusted", "unadjusted"])
        #expect(metadata.first??["class-map"] as? [String: String] == ["0": "bee", "1": "wasp"])
        let adjusted = (lines[0]["bees-adjusted"] as? [String: Any])?["annotations"] as? [[String: Any]]
        #expect(adjusted?.map { $0["left"] as? Double } == [10, 101] && adjusted?.map { $0["class_id"] as? Int } == [0, 1])
        // The label adjusted stays as it was.
        #expect(((lines[0]["bees"] as? [String: Any])?["annotations"] as? [[String: Any]])?.map { $0["left"] as? Double } == [10, 100])
    }

    @Test("an adjustment job needs exactly one previous bounding-box label")
    func refusals() throws {
        let store = try LabelStore.inMemory()
        let load = LabelingJobTests.loader(try LabelingJobTests.images())
        func reason(_ request: LabelingJobRequest) -> String {
            do {
                _ = try store.createLabelingJob(request, loadImage: load)
                return "created"
            } catch {
                return "\(error)"
            }
        }
        #expect(reason(Self.request("a", input: #"{"source-ref": "s3://bucket/input/2.jpg"}"#)).contains("carry the boxes to adjust"))
        let renamed = Self.input.replacingOccurrences(of: "\"bees", with: "\"old")
        #expect(reason(Self.request("b", input: Self.input + "\n" + renamed)).contains("several bounding-box labels (bees, old)"))
        let unknownClass = Self.input.replacingOccurrences(of: #""0": "wasp""#, with: #""0": "hornet""#)
        #expect(reason(Self.request("d", input: unknownClass)).contains("class 'hornet' is not one of the job's label categories"))
        #expect(LabelingTaskType(preHumanTaskLambdaArn: "arn:aws:lambda:us-east-1:432418664414:function:PRE-AdjustmentBoundingBox") == .adjustment)
        #expect(LabelingTaskType(preHumanTaskLambdaArn: "arn:aws:lambda:us-east-1:432418664414:function:PRE-BoundingBox") == .boundingBox)
        #expect(LabelingTaskType(preHumanTaskLambdaArn: "arn:aws:lambda:us-east-1:123456789012:function:my-pre") == nil)
    }
}
