/// An axis-aligned box in corner form: `(xmin, ymin)` is the top-left corner, `(xmax, ymax)` the bottom-right.
///
/// Coordinates are either normalised to the image (`0...1`, as SSD's anchors, regression targets and
/// SageMaker's inference output use them) or pixels (as Ground Truth manifests store them). The type does
/// not record which: every box taking part in one computation must use the same space. IoU is scale-invariant,
/// so it is the same in either space. Areas use the continuous convention `(xmax - xmin) * (ymax - ymin)`,
/// without the "+1 pixel" of the original Pascal VOC devkit.
public struct BoundingBox: Sendable, Hashable, CustomStringConvertible {
    public var xmin: Float
    public var ymin: Float
    public var xmax: Float
    public var ymax: Float

    /// Creates a box from its corners.
    public init(xmin: Float, ymin: Float, xmax: Float, ymax: Float) {
        self.xmin = xmin
        self.ymin = ymin
        self.xmax = xmax
        self.ymax = ymax
    }

    /// Creates a box from center-size form `(cx, cy, w, h)`, the form SSD's box encoding regresses.
    public init(centerX: Float, centerY: Float, width: Float, height: Float) {
        let halfWidth = width / 2
        let halfHeight = height / 2
        self.init(xmin: centerX - halfWidth, ymin: centerY - halfHeight, xmax: centerX + halfWidth, ymax: centerY + halfHeight)
    }

    /// Creates a box from a top-left corner and a size, the `[x, y, w, h]` form of COCO and Ground Truth.
    public init(x: Float, y: Float, width: Float, height: Float) {
        self.init(xmin: x, ymin: y, xmax: x + width, ymax: y + height)
    }

    /// Width; negative if the box is inverted.
    public var width: Float { xmax - xmin }
    /// Height; negative if the box is inverted.
    public var height: Float { ymax - ymin }
    /// Horizontal center.
    public var centerX: Float { (xmin + xmax) / 2 }
    /// Vertical center.
    public var centerY: Float { (ymin + ymax) / 2 }

    /// True when the box has positive width and height.
    public var isValid: Bool { xmax > xmin && ymax > ymin }

    /// Area, `0` for an empty or inverted box.
    public var area: Float { isValid ? width * height : 0 }

    /// Intersection over union with `other`, in `0...1`; `0` when the union is empty.
    ///
    /// Same formula as MXNet's `MultiBoxDetection`: the intersection is clamped at zero and the union is
    /// `area(a) + area(b) - intersection`.
    @inlinable
    public func intersectionOverUnion(_ other: BoundingBox) -> Float {
        let intersectionWidth = min(xmax, other.xmax) - max(xmin, other.xmin)
        let intersectionHeight = min(ymax, other.ymax) - max(ymin, other.ymin)
        guard intersectionWidth > 0, intersectionHeight > 0 else { return 0 }
        let intersection = intersectionWidth * intersectionHeight
        let union = area + other.area - intersection
        return union > 0 ? intersection / union : 0
    }

    /// The box with x coordinates multiplied by `x` and y by `y`, e.g. normalised → pixels with the image size.
    public func scaled(x: Float, y: Float) -> BoundingBox {
        BoundingBox(xmin: xmin * x, ymin: ymin * y, xmax: xmax * x, ymax: ymax * y)
    }

    /// The box clipped to `[0, 1]` on both axes, as SSD clips decoded boxes to the image.
    public func clippedToUnitSquare() -> BoundingBox {
        BoundingBox(
            xmin: min(max(xmin, 0), 1),
            ymin: min(max(ymin, 0), 1),
            xmax: min(max(xmax, 0), 1),
            ymax: min(max(ymax, 0), 1)
        )
    }

    public var description: String { "[\(xmin), \(ymin), \(xmax), \(ymax)]" }
}
