/// One predicted object: a class, a confidence score and a box.
///
/// Class ids are zero-based and exclude background, as in SageMaker's inference output
/// `[class_id, score, xmin, ymin, xmax, ymax]`.
public struct Detection: Sendable, Hashable {
    /// Zero-based class index (background excluded).
    public var classID: Int
    /// Confidence in `0...1`; higher ranks first.
    public var score: Float
    /// The predicted box, in the same coordinate space as the ground truth it is compared with.
    public var box: BoundingBox

    /// Creates a detection.
    public init(classID: Int, score: Float, box: BoundingBox) {
        self.classID = classID
        self.score = score
        self.box = box
    }
}
