import AWSProtocol
import GroundTruthFormat
import LabelStore

/// One line of `ctl labels apply` (and every other edit command, which sends its edit as such a line): an edit
/// object, or an array of them applied together, with images and classes named as a person names them.
///   {"op": "add", "image": 12, "class": "bee", "box": [177, 256.2, 95.4, 86.8]}
///   {"op": "update", "id": 31, "class": "wasp"}     {"op": "delete", "id": 31}
///   {"op": "submit", "image": "hive2/0001.jpg"}      {"op": "undo", "image": 12}
///   {"op": "verify", "image": 12, "answer": "bad", "comment": "the left bee is cut off"}   (a verification job's task)
struct LabelEditLine {
    let store: LabelStore
    /// The dataset of images given by file name.
    let dataset: String?

    /// The store edits `line` asks for. - Throws: `LabelStoreError` (`.invalid` for a malformed edit, `.notFound`
    /// for an unknown image, box or class).
    func edits(_ line: JSONValue) throws -> [LabelEdit] {
        try (line.arrayValue ?? [line]).map(edit)
    }

    private func edit(_ object: JSONValue) throws -> LabelEdit {
        guard let fields = object.objectValue, let op = fields["op"]?.stringValue else {
            throw LabelStoreError(.invalid, #"each edit is an object with "op": add, update, delete, submit, verify or undo"#)
        }
        switch op {
        case "add":
            let image = try image(fields)
            let classId = try LabelTargets.classId(
                try text(fields["class"], "class"), of: try LabelTargets.dataset(of: image, in: store), in: store)
            return .add(imageId: image.id, try annotation(fields["box"], classId: classId))
        case "update":
            let id = try boxId(fields)
            let current = try store.box(id: id)
            var annotation = try fields["box"].map { try self.annotation($0, classId: current.annotation.classId) } ?? current.annotation
            if let name = fields["class"] {
                let dataset = try LabelTargets.dataset(of: try store.image(id: current.imageId), in: store)
                annotation.classId = try LabelTargets.classId(try text(name, "class"), of: dataset, in: store)
            }
            return .update(boxId: id, annotation)
        case "delete": return .delete(boxId: try boxId(fields))
        case "submit": return .submit(imageId: try image(fields).id)
        case "undo": return .undo(imageId: try image(fields).id)
        case "verify": return .verify(imageId: try image(fields).id, try Self.verification(fields))
        default: throw LabelStoreError(.invalid, "unknown op '\(op)'; use add, update, delete, submit, verify or undo")
        }
    }

    /// A verification task's answer: `"answer": "good"|"bad"`, `"comment"` optional. The UI's edits use it too.
    static func verification(_ fields: [String: JSONValue]) throws -> VerificationAnswer {
        guard let text = fields["answer"]?.stringValue, let verdict = VerificationAnswer.Verdict(rawValue: text) else {
            throw LabelStoreError(.invalid, #"a verify edit needs "answer": "good" or "bad""#)
        }
        guard let comment = fields["comment"], comment != .null else { return VerificationAnswer(verdict) }
        guard let text = comment.stringValue else { throw LabelStoreError(.invalid, #""comment" must be a string"#) }
        return VerificationAnswer(verdict, comment: text)
    }

    private func image(_ fields: [String: JSONValue]) throws -> StoredImage {
        guard let value = fields["image"], let text = value.intValue.map(String.init) ?? value.stringValue else {
            throw LabelStoreError(.invalid, #""image" must be an image id or file name"#)
        }
        return try LabelTargets.image(text, dataset: dataset, in: store)
    }

    private func boxId(_ fields: [String: JSONValue]) throws -> Int64 {
        guard let id = fields["id"]?.intValue else { throw LabelStoreError(.invalid, #""id" must be a box id"#) }
        return Int64(id)
    }

    private func annotation(_ value: JSONValue?, classId: Int) throws -> GroundTruthAnnotation {
        guard let values = value?.arrayValue, case let numbers = values.compactMap(\.doubleValue), values.count == 4, numbers.count == 4 else {
            throw LabelStoreError(.invalid, #""box" must be [left, top, width, height]"#)
        }
        return GroundTruthAnnotation(classId: classId, left: numbers[0], top: numbers[1], width: numbers[2], height: numbers[3])
    }

    private func text(_ value: JSONValue?, _ name: String) throws -> String {
        guard let text = value?.stringValue ?? value?.intValue.map(String.init) else { throw LabelStoreError(.invalid, "\"\(name)\" is missing") }
        return text
    }
}
