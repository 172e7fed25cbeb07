import Foundation

/// A labeling job's label category configuration (`LabelCategoryConfigS3Uri`), in every shape Ground Truth reads:
///
///     {"document-version": "2018-11-28", "labels": [{"label": "bee"}]}
///     {"labels": [{"label": "Bird"}]}
///     {"document-version": "2020-03-01", "categoryGlobalAttributes": [{"name": "occluded", "type": "string", "enum": ["yes", "no"]}],
///      "labels": [{"label": "bee", "attributes": [{"name": "pose", "type": "string"}]}],
///      "instructions": {"shortInstruction": "<p>Box every bee</p>", "fullInstruction": "<p>…</p>"}}
///
/// `document-version` is optional. Attributes (`categoryGlobalAttributes`, `frameAttributes`, a label's
/// `attributes` or `categoryAttributes`) and `instructions` are checked for their shape and otherwise not used: Apiary
/// draws boxes only. A label's position in `labels` is its `class_id` in the output manifest.
public struct LabelCategoryConfig: Sendable, Equatable, Codable {
    /// One category, with the attributes workers may give its boxes.
    public struct Label: Sendable, Equatable, Codable {
        public var label: String
        /// `attributes` (image tasks) or `categoryAttributes` (video and point-cloud tasks).
        public var attributes: [Attribute]?

        public init(label: String) {
            self.label = label
        }

        enum CodingKeys: String, CodingKey {
            case label, attributes, categoryAttributes
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            label = try container.decode(String.self, forKey: .label)
            attributes =
                try container.decodeIfPresent([Attribute].self, forKey: .attributes)
                ?? container.decodeIfPresent([Attribute].self, forKey: .categoryAttributes)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(label, forKey: .label)
            try container.encodeIfPresent(attributes, forKey: .attributes)
        }
    }

    /// A question workers answer about a box or a frame: a name, and a type (`string`, `number`) with its choices.
    public struct Attribute: Sendable, Equatable, Codable {
        public var name: String
        public var type: String?
        public var description: String?
    }

    /// The worker instructions named-entity and point-cloud tasks require, HTML.
    public struct Instructions: Sendable, Equatable, Codable {
        public var shortInstruction: String?
        public var fullInstruction: String?
    }

    /// The document version of image tasks, written when Apiary writes a configuration.
    public static let documentVersion = "2018-11-28"
    /// Ground Truth's quota of labels for a bounding-box job.
    public static let maxLabels = 50
    /// The longest label name Ground Truth accepts.
    public static let maxLabelLength = 256

    /// As read (nil when the file has none, which Ground Truth accepts).
    public var documentVersion: String?
    public var labels: [Label]
    public var categoryGlobalAttributes: [Attribute]?
    public var frameAttributes: [Attribute]?
    public var instructions: Instructions?

    /// A configuration of `names`, in class-id order.
    public init(names: [String]) {
        documentVersion = Self.documentVersion
        labels = names.map(Label.init)
    }

    enum CodingKeys: String, CodingKey {
        case documentVersion = "document-version"
        case labels, categoryGlobalAttributes, frameAttributes, instructions
    }

    /// The label names in class-id order.
    public var names: [String] { labels.map(\.label) }

    /// Reads and checks a configuration file's contents.
    /// - Throws: `LabelCategoryConfigError` saying what is wrong: not a JSON object, a member of the wrong shape
    ///   (named by its path), no labels, a duplicate or over-long name, more than 50 labels, an unnamed attribute.
    public static func parse(_ data: Data) throws -> LabelCategoryConfig {
        let config: LabelCategoryConfig
        do {
            config = try JSONDecoder().decode(LabelCategoryConfig.self, from: data)
        } catch let error as DecodingError {
            throw LabelCategoryConfigError(Self.describe(error))
        }
        try config.validate()
        return config
    }

    /// Checks Ground Truth's rules: 1 to 50 labels, each 1 to 256 characters, no two alike; attributes named, no
    /// two alike within a list.
    public func validate() throws {
        guard !labels.isEmpty, labels.count <= Self.maxLabels else {
            throw LabelCategoryConfigError("a bounding-box job needs 1 to \(Self.maxLabels) labels, got \(labels.count)")
        }
        var seen = Set<String>()
        for name in names {
            guard !name.isEmpty, name.count <= Self.maxLabelLength else {
                throw LabelCategoryConfigError("label names must be 1 to \(Self.maxLabelLength) characters, got '\(name)'")
            }
            guard seen.insert(name).inserted else { throw LabelCategoryConfigError("label '\(name)' appears twice; labels must be unique") }
        }
        let lists = [("categoryGlobalAttributes", categoryGlobalAttributes), ("frameAttributes", frameAttributes)]
            + labels.map { ("the attributes of label '\($0.label)'", $0.attributes) }
        for (owner, attributes) in lists {
            var names = Set<String>()
            for attribute in attributes ?? [] {
                guard !attribute.name.isEmpty else { throw LabelCategoryConfigError("\(owner): every attribute needs a non-empty \"name\"") }
                guard names.insert(attribute.name).inserted else {
                    throw LabelCategoryConfigError("\(owner): attribute '\(attribute.name)' appears twice")
                }
            }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        let example = #"like {"document-version": "2018-11-28", "labels": [{"label": "bee"}]}"#
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.hasPrefix(".") ? String(keys.dropFirst()) : keys
        }
        switch error {
        case .keyNotFound(let key, let context):
            let owner = path(context)
            return "\(owner.isEmpty ? "" : owner + ": ")the member \"\(key.stringValue)\" is missing; a label category config is JSON \(example)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let member = path(context)
            return member.isEmpty
                ? "a label category config must be a JSON object \(example)"
                : "\(member) has the wrong type; a label category config is JSON \(example)"
        default:
            return "a label category config must be JSON \(example)"
        }
    }

    /// The file's JSON, in Ground Truth's spacing: `{"document-version": "2018-11-28", "labels": [{"label": "bee"}]}`.
    public func encoded() -> String {
        var json = JSONLineWriter()
        json.beginObject()
        json.key("document-version")
        json.string(documentVersion ?? Self.documentVersion)
        json.key("labels")
        json.array(labels) { json, label in
            json.beginObject()
            json.key("label")
            json.string(label.label)
            json.endObject()
        }
        json.endObject()
        return json.text
    }
}

/// Why a label category configuration was refused.
public struct LabelCategoryConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
