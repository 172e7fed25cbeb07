import GroundTruthFormat

/// One change to labels as a caller asks for it. `LabelStore.apply(_:)` makes a list of them one write.
public enum LabelEdit: Sendable, Equatable {
    /// Draw a box on an image.
    case add(imageId: Int64, GroundTruthAnnotation)
    /// Move, resize or relabel a box: its new class and geometry.
    case update(boxId: Int64, GroundTruthAnnotation)
    /// Remove a box.
    case delete(boxId: Int64)
    /// Mark an image labeled as it is, typically with no box ("no object"); a no-op on a labeled image.
    case submit(imageId: Int64)
    /// Answer a bounding-box verification task: the image's boxes are good or bad. Submits the task.
    case verify(imageId: Int64, VerificationAnswer)
    /// Reverse the latest write still in effect on an image (all of its changes to that image).
    case undo(imageId: Int64)
}

extension LabelEdit {
    /// The image a `submit` or `verify` edit submits, nil for the other edits: what a caller that follows
    /// submissions (Ground Truth's worker responses) looks at.
    public var submittedImageId: Int64? {
        switch self {
        case .submit(let imageId), .verify(let imageId, _): imageId
        default: nil
        }
    }
}
