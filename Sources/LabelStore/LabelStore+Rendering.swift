import GroundTruthFormat
import ImageCodec

extension LabelStore {
    /// Outline colours by class id, cycling: magenta, cyan, yellow, green, orange, blue.
    static let classColors: [(r: UInt8, g: UInt8, b: UInt8)] = [
        (255, 0, 255), (0, 230, 255), (255, 230, 0), (0, 220, 90), (255, 140, 0), (60, 90, 255),
    ]

    /// The image as stored (upright) with its boxes drawn, one colour per class, as PNG bytes: what a labeler
    /// sees, for checking labels by eye.
    public func renderedPNG(ofImage imageId: Int64, thickness: Int = 2) throws -> [UInt8] {
        var pixels = try ImageDecoder.decode(try imageBytes(id: imageId))
        let boxes = try boxes(onImage: imageId).map(\.annotation).map { box in
            BoxDrawing.Box(
                left: box.left,
                top: box.top,
                width: box.width,
                height: box.height,
                color: Self.classColors[box.classId % Self.classColors.count]
            )
        }
        BoxDrawing.draw(boxes: boxes, on: &pixels, thickness: thickness)
        return try PNGCodec.encode(pixels)
    }
}
