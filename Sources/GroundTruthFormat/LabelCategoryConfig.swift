import Foundation

/// A labeling job's label category configuration (`LabelCategoryConfigS3Uri`):
///
///     {"document-version": "2018-11-28", "labels": [{"label": "bee"}]}
///
/// A label's position in `labels` is its `class_id` in the output manifest.
public struct LabelCategoryConfig: Sendable, Equatable, Codable {
    /// One category; Ground Truth allows other members (attributes), which Apiary ignores.
    public struct Label: Sendable, Equatable, Codable {
        public var label: String

        public init(label: String) {
            self.label = label
        }
    }

    /// The only document version Ground Truth defines.
    public static let documentVersion = "2018-11-28"
    /// Ground Truth's quota of labels for a bounding-box job.
    public static let maxLabels = 50
    /// The longest label name Ground Truth accepts.
    public static let maxLabelLength = 256

    public var documentVersion: String
    public var labels: [Label]

    /// A configuration of `names`, in class-id order.
    public init(names: [String]) {
        documentVersion = Self.documentVersion
        labels = names.map(Label.init)
    }

    enum CodingKeys: String, CodingKey {
        case documentVersion = "document-version"
        case labels
    }

    /// The label names in class-id order.
    public var names: [String] { labels.map(\.label) }

    /// Reads and checks a configuration file's contents.
    /// - Throws: `LabelCategoryConfigError` saying what is wrong: not JSON, no labels, a duplicate or
    ///   over-long name, more than 50 labels.
    public static func parse(_ data: Data) throws -> LabelCategoryConfig {
        let config: LabelCategoryConfig
        do {
            config = try JSONDecoder().decode(LabelCategoryConfig.self, from: data)
        } catch {
            throw LabelCategoryConfigError(
                #"a label category config must be JSON like {"document-version": "2018-11-28", "labels": [{"label": "bee"}]}"#
            )
        }
        try config.validate()
        return config
    }

    /// Checks Ground Truth's rules: 1 to 50 labels, each 1 to 256 characters, no two alike.
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
    }

    /// The file's JSON, in Ground Truth's spacing: `{"document-version": "2018-11-28", "labels": [{"label": "bee"}]}`.
    public func encoded() -> String {
        var json = JSONLineWriter()
        json.beginObject()
        json.key("document-version")
        json.string(documentVersion)
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
