import GroundTruthFormat

/// A box drawn on an image: its class and geometry in upright pixels (top-left origin), as Ground Truth writes
/// it. The id stays the same when the box is moved, resized, relabelled, or deleted and brought back by undo.
public struct LabelBox: Sendable, Equatable {
    public let id: Int64
    public let imageId: Int64
    public var annotation: GroundTruthAnnotation

    init(row: SQLRow) {
        id = row["id"]
        imageId = row["imageId"]
        annotation = GroundTruthAnnotation(classId: row["classId"], left: row["left"], top: row["top"], width: row["width"], height: row["height"])
    }
}
