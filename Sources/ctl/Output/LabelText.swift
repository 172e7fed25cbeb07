import AWSProtocol
import GroundTruthFormat
import LabelStore

/// How label-store values print: numbers exactly (`177`, `95.39999999999998`), and as JSON for `--json`.
enum LabelText {
    /// A coordinate, exactly: whole numbers without a fraction.
    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }

    static func json(_ image: StoredImage, labeled: Bool? = nil) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .int(Int(image.id)), "fileName": .string(image.fileName), "width": .int(image.width), "height": .int(image.height),
            "orientation": .int(image.orientation.rawValue), "sha256": .string(image.sha256),
            "sourceRef": image.sourceRef.map(JSONValue.string) ?? .null,
        ]
        if let labeled { object["labeled"] = .bool(labeled) }
        return .object(object)
    }

    static func json(_ box: GroundTruthAnnotation, id: Int64? = nil, className: String? = nil) -> JSONValue {
        var object: [String: JSONValue] = [
            "classId": .int(box.classId), "left": .double(box.left), "top": .double(box.top), "width": .double(box.width),
            "height": .double(box.height),
        ]
        if let id { object["id"] = .int(Int(id)) }
        if let className { object["class"] = .string(className) }
        return .object(object)
    }

    static func json(_ change: LabelChange) -> JSONValue {
        .object([
            "id": .int(Int(change.id)), "revision": .int(Int(change.revisionId)), "at": .double(change.at.timeIntervalSince1970),
            "image": .int(Int(change.imageId)), "box": change.boxId.map { .int(Int($0)) } ?? .null, "action": .string(change.action.rawValue),
            "before": change.before.map { json($0) } ?? .null, "after": change.after.map { json($0) } ?? .null,
            "undoes": change.undoes.map { .int(Int($0)) } ?? .null, "undone": .bool(change.undone),
        ])
    }

    /// `left,top,width,height`, as `--box` takes it.
    static func geometry(_ box: GroundTruthAnnotation) -> String {
        [box.left, box.top, box.width, box.height].map(number).joined(separator: ",")
    }
}
