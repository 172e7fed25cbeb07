/// One labelled object: a class and a box, as a Ground Truth bounding-box annotation holds it.
public struct GroundTruthBox: Sendable, Hashable {
    /// Zero-based class index (background excluded), the same numbering as `Detection.classID`.
    public var classID: Int
    /// The labelled box.
    public var box: BoundingBox

    /// Creates a ground-truth box.
    public init(classID: Int, box: BoundingBox) {
        self.classID = classID
        self.box = box
    }
}
