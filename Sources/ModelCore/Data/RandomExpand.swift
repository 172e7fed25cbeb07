import ImageCodec

/// SSD's "zoom-out": place the image at a random spot of a canvas up to `maximumRatio` times larger on each
/// side, filled with the mean colour.
///
/// After the final resize the objects come out smaller, which is how SSD (Liu et al. 2016, §3.6 "data
/// augmentation") teaches its coarse, low-resolution feature maps to still find small objects — bees
/// photographed from afar are exactly that case. The fill is the dataset mean so that, once normalised,
/// the padding is ≈ 0 and carries no signal. The aspect ratio is kept (one ratio for both sides), as in
/// the Caffe reference and GluonCV's `random_expand(keep_ratio=True)`.
public struct RandomExpand: Sendable, Equatable {
    /// Chance of expanding at all.
    public var probability: Float
    /// Largest canvas side as a multiple of the image side (≥ 1).
    public var maximumRatio: Float

    public init(probability: Float = 0.5, maximumRatio: Float = 4) {
        precondition(maximumRatio >= 1, "the expansion ratio must be at least 1")
        self.probability = probability
        self.maximumRatio = maximumRatio
    }

    /// The canvas for a `width × height` image, or `nil` for no expansion. Always makes four draws.
    func sample(width: Int, height: Int, random: inout SeededGenerator) -> (width: Int, height: Int, offset: (x: Int, y: Int))? {
        let apply = random.nextUniform() < probability
        let ratio = 1 + random.nextUniform() * (maximumRatio - 1)
        let u = random.nextUniform()
        let v = random.nextUniform()
        guard apply else { return nil }
        let canvasWidth = max(Int(Float(width) * ratio), width)
        let canvasHeight = max(Int(Float(height) * ratio), height)
        // `u < 1`, so the offsets stay within `0...canvas − image`.
        let x = min(Int(u * Float(canvasWidth - width + 1)), canvasWidth - width)
        let y = min(Int(v * Float(canvasHeight - height + 1)), canvasHeight - height)
        return (canvasWidth, canvasHeight, (x, y))
    }

    /// Expands a window and moves its boxes (pixel coordinates of the window) along.
    func apply(to window: ImageWindow, boxes: [GroundTruthBox], random: inout SeededGenerator) -> (ImageWindow, [GroundTruthBox]) {
        guard let canvas = sample(width: window.width, height: window.height, random: &random) else { return (window, boxes) }
        return (
            window.expanded(width: canvas.width, height: canvas.height, offset: canvas.offset),
            BoxMapping.translated(boxes, dx: canvas.offset.x, dy: canvas.offset.y)
        )
    }

    /// Expands `image` on its own (boxes in pixel coordinates in and out).
    public func apply(
        _ image: RGBImage,
        boxes: [GroundTruthBox],
        fill: SIMD3<UInt8> = InputNormalization.imageNet.meanColor,
        random: inout SeededGenerator
    ) -> (RGBImage, [GroundTruthBox]) {
        let (window, moved) = apply(to: ImageWindow(sourceWidth: image.width, sourceHeight: image.height), boxes: boxes, random: &random)
        return (window.render(image, fill: fill), moved)
    }
}
