/// One line of a Ground Truth output manifest (JSON Lines):
///
///     {"source-ref": "s3://bucket/input/10006450.jpg", "bees-500": {"annotations": [...], "image_size": [...]},
///      "bees-500-metadata": {...}}
///
/// The label attribute's name is chosen per labeling job, so it is a property of the line rather than a key
/// fixed at compile time. An input manifest line has only `source-ref`: `label` and `metadata` are `nil`.
public struct GroundTruthManifestLine: Sendable, Equatable {
    /// The image's URI (`s3://…`, `file://…` or a path relative to the manifest's dataset).
    public var sourceRef: String
    /// The label attribute name, e.g. `bees-500`; the metadata lives under `<name>-metadata`.
    public var labelAttributeName: String
    public var label: GroundTruthBoundingBoxLabel?
    public var metadata: GroundTruthLabelMetadata?

    public init(
        sourceRef: String,
        labelAttributeName: String,
        label: GroundTruthBoundingBoxLabel?,
        metadata: GroundTruthLabelMetadata?
    ) {
        self.sourceRef = sourceRef
        self.labelAttributeName = labelAttributeName
        self.label = label
        self.metadata = metadata
    }
}

/// Why a manifest could not be read or written; `line` is 1-based (0 when no line is concerned).
public struct GroundTruthManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { line > 0 ? "manifest line \(line): \(reason)" : "manifest: \(reason)" }
}
