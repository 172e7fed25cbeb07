import Foundation

/// Reads and writes Ground Truth manifests: JSON Lines, one image per line.
///
/// Writing is byte-deterministic and mirrors what Ground Truth itself emits — the same key order
/// (`source-ref`, the label, its metadata; `class_id, width, top, height, left` in a box), `", "` and `": "`
/// separators, whole-number coordinates without a fraction, other numbers in shortest round-trip form — so the
/// same labels always produce the same bytes.
public enum GroundTruthManifest {
    /// Parses a whole manifest. Blank lines are skipped but still counted, so errors name the line a text
    /// editor shows.
    /// - Parameters:
    ///   - text: the manifest's contents.
    ///   - labelAttributeName: the label attribute to read, e.g. `bees-500`; other attributes are ignored.
    /// - Throws: `GroundTruthManifestError` naming the first bad line and what is wrong with it.
    public static func parse(_ text: String, labelAttributeName: String) throws -> [GroundTruthManifestLine] {
        var lines: [GroundTruthManifestLine] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            lines.append(try parseLine(String(line), labelAttributeName: labelAttributeName, lineNumber: offset + 1))
        }
        return lines
    }

    /// Parses one manifest line; `lineNumber` only labels errors.
    public static func parseLine(_ line: String, labelAttributeName: String, lineNumber: Int = 1) throws -> GroundTruthManifestLine {
        let decoder = JSONDecoder()
        decoder.userInfo[LineRecord.attributeKey] = labelAttributeName
        do {
            return try decoder.decode(LineRecord.self, from: Data(line.utf8)).line
        } catch let error as DecodingError {
            throw GroundTruthManifestError(line: lineNumber, reason: describe(error))
        } catch {
            throw GroundTruthManifestError(line: lineNumber, reason: "\(error)")
        }
    }

    /// The manifest text for `lines`: each line followed by `"\n"`.
    /// - Throws: `GroundTruthManifestError` when a number is not finite (JSON cannot represent it).
    public static func encode(_ lines: [GroundTruthManifestLine]) throws -> String {
        var text = ""
        for (offset, line) in lines.enumerated() {
            do {
                text += try encodeLine(line) + "\n"
            } catch let error as GroundTruthManifestError {
                throw GroundTruthManifestError(line: offset + 1, reason: error.reason)
            }
        }
        return text
    }

    /// One line of JSON, without the trailing newline.
    public static func encodeLine(_ line: GroundTruthManifestLine) throws -> String {
        var json = JSONLineWriter()
        json.beginObject()
        json.key("source-ref")
        json.string(line.sourceRef)
        try writeLabelMembers(of: line, into: &json)
        json.endObject()
        return json.text
    }

    /// An input manifest line with `line`'s label attribute and metadata appended, as Ground Truth writes a
    /// labeled line: the input's members (`source-ref` and any others) pass through byte for byte, in order.
    /// - Parameter inputLine: one JSON object, e.g. `{"source-ref": "s3://b/1.jpg", "site": "hive 2"}`.
    /// - Throws: `GroundTruthManifestError` when `inputLine` is not a JSON object or a number is not finite.
    public static func encodeLine(_ line: GroundTruthManifestLine, extending inputLine: String) throws -> String {
        var json = JSONLineWriter()
        json.beginObject()
        try writeLabelMembers(of: line, into: &json)
        json.endObject()
        return try extend(inputLine, withMembersOf: json.text)
    }

    /// An input manifest line with the members of `object` (one JSON object, as `encodeObject()` of a
    /// verification label writes it) appended, the input's own members kept byte for byte, in order.
    /// - Throws: `GroundTruthManifestError` when `inputLine` is not a JSON object.
    public static func extend(_ inputLine: String, withMembersOf object: String) throws -> String {
        let input = inputLine.trimmingCharacters(in: .whitespacesAndNewlines)
        guard input.hasPrefix("{"), input.hasSuffix("}"), (try? JSONSerialization.jsonObject(with: Data(input.utf8))) is [String: Any] else {
            throw GroundTruthManifestError(line: 0, reason: "an input manifest line must be one JSON object")
        }
        let members = object.dropFirst().dropLast()
        let inner = input.dropFirst().dropLast()
        if members.isEmpty { return input }
        return inner.allSatisfy(\.isWhitespace) ? "{" + members + "}" : input.dropLast() + ", " + members + "}"
    }

    /// The label attribute and its `-metadata`, as members of the line's object.
    private static func writeLabelMembers(of line: GroundTruthManifestLine, into json: inout JSONLineWriter) throws {
        if let label = line.label {
            json.key(line.labelAttributeName)
            json.beginObject()
            json.key("annotations")
            try json.array(label.annotations) { json, box in
                json.beginObject()
                json.key("class_id")
                json.integer(box.classId)
                for (name, value) in [("width", box.width), ("top", box.top), ("height", box.height), ("left", box.left)] {
                    json.key(name)
                    try json.number(value)
                }
                json.endObject()
            }
            json.key("image_size")
            json.array(label.imageSize) { json, size in
                json.beginObject()
                for (name, value) in [("width", size.width), ("depth", size.depth), ("height", size.height)] {
                    json.key(name)
                    json.integer(value)
                }
                json.endObject()
            }
            json.endObject()
        }
        if let metadata = line.metadata {
            json.key(line.labelAttributeName + "-metadata")
            json.beginObject()
            if let jobName = metadata.jobName {
                json.key("job-name")
                json.string(jobName)
            }
            if let classMap = metadata.classMap {
                json.key("class-map")
                json.beginObject()
                // Numerically ordered class ids ("2" before "10"), then any non-numeric keys.
                let keys = classMap.keys.sorted { (Int($0) ?? .max, $0) < (Int($1) ?? .max, $1) }
                for key in keys {
                    json.key(key)
                    json.string(classMap[key]!)
                }
                json.endObject()
            }
            if let humanAnnotated = metadata.humanAnnotated {
                json.key("human-annotated")
                json.string(humanAnnotated)
            }
            if let objects = metadata.objects {
                json.key("objects")
                try json.array(objects) { json, object in
                    json.beginObject()
                    json.key("confidence")
                    try json.number(object.confidence, alwaysFloat: true)
                    json.endObject()
                }
            }
            if let creationDate = metadata.creationDate {
                json.key("creation-date")
                json.string(creationDate)
            }
            if let type = metadata.type {
                json.key("type")
                json.string(type)
            }
            if let status = metadata.adjustmentStatus {
                json.key("adjustment-status")
                json.string(status)
            }
            json.endObject()
        }
    }

    /// A decoding error in words, with the JSON path of the offending value.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? "\"\(key.stringValue)\"" : ".\"\(key.stringValue)\""
                }
            }
            return text.isEmpty ? "the line" : text
        }
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is Double.Type: "a number"
            case is Int.Type: "a whole number"
            case is String.Type: "a string"
            case is [Any].Type: "an array"
            default: "an object"
            }
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(kind(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(kind(type)), got null"
        case .keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" in \(path(context.codingPath))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// Decodes one line with a label attribute name known only at run time.
private struct LineRecord: Decodable {
    static let attributeKey = CodingUserInfoKey(rawValue: "labelAttributeName")!

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    let line: GroundTruthManifestLine

    init(from decoder: any Decoder) throws {
        let name = decoder.userInfo[Self.attributeKey] as? String ?? ""
        let container = try decoder.container(keyedBy: Key.self)
        line = GroundTruthManifestLine(
            sourceRef: try container.decode(String.self, forKey: Key("source-ref")),
            labelAttributeName: name,
            label: try container.decodeIfPresent(GroundTruthBoundingBoxLabel.self, forKey: Key(name)),
            metadata: try container.decodeIfPresent(GroundTruthLabelMetadata.self, forKey: Key(name + "-metadata"))
        )
    }
}
