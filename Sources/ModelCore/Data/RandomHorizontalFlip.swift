import ImageCodec

/// Mirrors the image left–right with probability `probability`.
///
/// Bees, frames and hives have no handedness, so mirroring doubles the apparent data for free. Vertical
/// flips are not used (SSD never does; gravity gives scenes an up).
public struct RandomHorizontalFlip: Sendable, Equatable {
    /// Chance of mirroring.
    public var probability: Float

    public init(probability: Float = 0.5) {
        self.probability = probability
    }

    /// Mirrors a window and its boxes (pixel coordinates of the window), or not. One draw.
    func apply(to window: ImageWindow, boxes: [GroundTruthBox], random: inout SeededGenerator) -> (ImageWindow, [GroundTruthBox]) {
        guard random.nextUniform() < probability else { return (window, boxes) }
        return (window.mirrored(), BoxMapping.mirrored(boxes, width: window.width))
    }

    /// Flips `image` on its own (boxes in pixel coordinates in and out).
    public func apply(_ image: RGBImage, boxes: [GroundTruthBox], random: inout SeededGenerator) -> (RGBImage, [GroundTruthBox]) {
        let (window, moved) = apply(to: ImageWindow(sourceWidth: image.width, sourceHeight: image.height), boxes: boxes, random: &random)
        return (window.render(image, fill: .zero), moved)
    }
}
