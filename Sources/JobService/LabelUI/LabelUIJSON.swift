import AWSProtocol
import Foundation
import GroundTruthFormat
import LabelStore

/// The labeling UI's JSON: the store's types as the browser reads them. Boxes are `[left, top, width, height]`
/// in pixels of the upright image, exactly as stored.
enum LabelUIJSON {
    static func box(_ box: LabelBox) -> JSONValue {
        ["id": .int(Int(box.id)), "classId": .int(box.annotation.classId), "box": geometry(box.annotation)]
    }

    static func geometry(_ a: GroundTruthAnnotation) -> JSONValue {
        [.double(a.left), .double(a.top), .double(a.width), .double(a.height)]
    }

    static func annotation(_ a: GroundTruthAnnotation) -> JSONValue { ["classId": .int(a.classId), "box": geometry(a)] }

    static func image(_ labels: ImageLabels) -> JSONValue {
        [
            "id": .int(Int(labels.image.id)), "name": .string(labels.image.fileName), "width": .int(labels.image.width),
            "height": .int(labels.image.height), "labeled": .bool(labels.isLabeled), "revision": .int(Int(labels.revision)),
            "boxes": .array(labels.boxes.map(box)),
        ]
    }

    /// A verification task's submitted answer, `{"answer": "good"|"bad", "comment": …}`, or null.
    static func verification(_ answer: VerificationAnswer?) -> JSONValue {
        guard let answer else { return .null }
        return ["answer": .string(answer.verdict.rawValue), "comment": answer.comment.map(JSONValue.string) ?? .null]
    }

    static func change(_ change: LabelChange) -> JSONValue {
        [
            "action": .string(change.action.rawValue), "boxId": change.boxId.map { .int(Int($0)) } ?? .null,
            "before": change.before.map(annotation) ?? .null, "after": change.after.map(annotation) ?? .null,
        ]
    }

    static func freeTier(_ tier: FreeTier) -> JSONValue {
        ["labeled": .int(tier.labeledImages), "cap": .int(FreeTier.cap), "optedIn": .bool(tier.optedIn)]
    }

    static func categories(_ categories: [LabelCategory]) -> JSONValue {
        .array(categories.map { ["id": .int($0.classId), "name": .string($0.name)] })
    }

    static func job(_ job: LabelingJob) -> JSONValue {
        let counters = (try? JSONValue.parse(Array(JSONEncoder().encode(job.counters)))) ?? .null
        return [
            "name": .string(job.name), "status": .string(job.status.rawValue), "dataset": .string(job.datasetName),
            "labelAttributeName": .string(job.labelAttributeName), "counters": counters, "taskType": .string(job.taskType.rawValue),
        ]
    }

    /// Progress, per-class counts, boxes per image, box sizes (as a share of the image's area) and the imbalance
    /// warning.
    static func stats(_ stats: DatasetStats, boxAreas: [Double]) -> JSONValue {
        let buckets = [0.001, 0.01, 0.05, 0.1, 0.25, 1.0]
        var sizes = [Int](repeating: 0, count: buckets.count)
        for area in boxAreas { sizes[buckets.firstIndex { area <= $0 } ?? buckets.count - 1] += 1 }
        return [
            "images": .int(stats.images), "labeled": .int(stats.labeledImages), "boxes": .int(stats.boxes),
            "classes": .array(
                stats.classes.map {
                    ["id": .int($0.category.classId), "name": .string($0.category.name), "boxes": .int($0.boxes), "images": .int($0.images)]
                }
            ),
            "boxesPerImage": .array(stats.boxesPerImage.sorted { $0.key < $1.key }.map { [.int($0.key), .int($0.value)] }),
            "boxSizes": .array(zip(buckets, sizes).map { [.double($0.0), .int($0.1)] }),
            "imbalanceWarning": stats.imbalanceWarning.map(JSONValue.string) ?? .null,
            "freeTier": freeTier(stats.freeTier),
        ]
    }
}
