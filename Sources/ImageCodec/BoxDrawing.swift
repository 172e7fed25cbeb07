/// Draws rectangle outlines onto an image: ground-truth boxes when inspecting a dataset, predicted boxes when
/// annotating a detector's output.
public enum BoxDrawing {
    /// An axis-aligned box in pixels: columns `left ..< left + width`, rows `top ..< top + height`.
    public struct Box: Sendable, Equatable {
        public var left: Double
        public var top: Double
        public var width: Double
        public var height: Double
        /// Outline colour; `nil` uses the `color` passed to `draw`.
        public var color: (r: UInt8, g: UInt8, b: UInt8)?

        public init(left: Double, top: Double, width: Double, height: Double, color: (r: UInt8, g: UInt8, b: UInt8)? = nil) {
            self.left = left
            self.top = top
            self.width = width
            self.height = height
            self.color = color
        }

        public static func == (lhs: Box, rhs: Box) -> Bool {
            lhs.left == rhs.left && lhs.top == rhs.top && lhs.width == rhs.width && lhs.height == rhs.height
                && lhs.color?.r == rhs.color?.r && lhs.color?.g == rhs.color?.g && lhs.color?.b == rhs.color?.b
        }
    }

    /// Draws each box's outline `thickness` pixels wide just outside the box, so the pixels inside it — the
    /// object's extremities — stay visible. Coordinates are rounded outwards; parts outside the image are clipped.
    public static func draw(
        boxes: [Box],
        on image: inout RGBImage,
        color: (r: UInt8, g: UInt8, b: UInt8) = (255, 0, 0),
        thickness: Int = 1
    ) {
        guard thickness > 0 else { return }
        for box in boxes {
            guard box.width.isFinite, box.height.isFinite, box.left.isFinite, box.top.isFinite else { continue }
            let x0 = Int(box.left.rounded(.down))
            let y0 = Int(box.top.rounded(.down))
            let x1 = Int((box.left + box.width).rounded(.up))  // exclusive
            let y1 = Int((box.top + box.height).rounded(.up))
            let paint = box.color ?? color
            // Top and bottom bands, then left and right bands (each including the corners).
            fill(&image, x0 - thickness, y0 - thickness, x1 + thickness, y0, paint)
            fill(&image, x0 - thickness, y1, x1 + thickness, y1 + thickness, paint)
            fill(&image, x0 - thickness, y0, x0, y1, paint)
            fill(&image, x1, y0, x1 + thickness, y1, paint)
        }
    }

    /// Fills columns `x0..<x1`, rows `y0..<y1`, clipped to the image.
    static func fill(_ image: inout RGBImage, _ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ color: (r: UInt8, g: UInt8, b: UInt8)) {
        let left = max(x0, 0)
        let top = max(y0, 0)
        let right = min(x1, image.width)
        let bottom = min(y1, image.height)
        guard left < right, top < bottom else { return }
        for y in top..<bottom {
            for x in left..<right {
                image[x, y] = color
            }
        }
    }
}
