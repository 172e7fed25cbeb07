import AWSProtocol
import GroundTruthFormat
import LabelStore

/// The label store's values as the label commands' API answers them, and as `ctl labels … --json` prints them:
/// coordinates exact, in pixels of the upright image.
public enum LabelCommandJSON {
    public static func image(_ image: StoredImage, labeled: Bool? = nil) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .int(Int(image.id)), "fileName": .string(image.fileName), "width": .int(image.width), "height": .int(image.height),
            "orientation": .int(image.orientation.rawValue), "sha256": .string(image.sha256),
            "sourceRef": image.sourceRef.map(JSONValue.string) ?? .null,
        ]
        if let labeled { object["labeled"] = .bool(labeled) }
        return .object(object)
    }

    public static func box(_ box: GroundTruthAnnotation, id: Int64? = nil, className: String? = nil) -> JSONValue {
        var object: [String: JSONValue] = [
            "classId": .int(box.classId), "left": .double(box.left), "top": .double(box.top), "width": .double(box.width),
            "height": .double(box.height),
        ]
        if let id { object["id"] = .int(Int(id)) }
        if let className { object["class"] = .string(className) }
        return .object(object)
    }

    public static func change(_ change: LabelChange) -> JSONValue {
        .object([
            "id": .int(Int(change.id)), "revision": .int(Int(change.revisionId)), "at": .double(change.at.timeIntervalSince1970),
            "image": .int(Int(change.imageId)), "box": change.boxId.map { .int(Int($0)) } ?? .null, "action": .string(change.action.rawValue),
            "before": change.before.map { box($0) } ?? .null, "after": change.after.map { box($0) } ?? .null,
            "undoes": change.undoes.map { .int(Int($0)) } ?? .null, "undone": .bool(change.undone),
        ])
    }

    public static func freeTier(_ tier: FreeTier) -> JSONValue {
        [
            "cap": .int(FreeTier.cap), "labeledImages": .int(tier.labeledImages), "optedIn": .bool(tier.optedIn),
            "beyondFreeTier": .int(tier.beyondFreeTier),
        ]
    }

    public static func categories(_ categories: [LabelCategory]) -> JSONValue {
        .array(categories.map { ["classId": .int($0.classId), "name": .string($0.name)] })
    }

    public static func stats(_ stats: DatasetStats) -> JSONValue {
        [
            "dataset": .string(stats.dataset.name), "images": .int(stats.images), "labeledImages": .int(stats.labeledImages),
            "unlabeledImages": .int(stats.unlabeledImages), "boxes": .int(stats.boxes),
            "classes": .array(
                stats.classes.map {
                    ["classId": .int($0.category.classId), "name": .string($0.category.name), "boxes": .int($0.boxes), "images": .int($0.images)]
                }
            ),
            "boxesPerImage": .object(Dictionary(uniqueKeysWithValues: stats.boxesPerImage.map { (String($0.key), JSONValue.int($0.value)) })),
            "imbalanceWarning": stats.imbalanceWarning.map(JSONValue.string) ?? .null,
            "freeTier": freeTier(stats.freeTier),
        ]
    }

    public static func importReport(_ report: LabelImportReport) -> JSONValue {
        [
            "images": .int(report.images), "imagesAdded": .int(report.imagesAdded), "imagesRelabeled": .int(report.imagesRelabeled),
            "boxesAdded": .int(report.boxesAdded), "boxesDeleted": .int(report.boxesDeleted),
            "categoriesAdded": .array(report.categoriesAdded.map(JSONValue.string)),
        ]
    }
}
