import ImageCodec

/// SSD's training-time data augmentation, the "on-the-fly flip / rescale / jitter" of SageMaker's
/// built-in Object Detection algorithm: photometric distortion → random expand (zoom-out) → random crop
/// with IoU constraints (zoom-in) → horizontal flip, in the order of the SSD Caffe reference and
/// GluonCV's `SSDDefaultTrainTransform`. The resize to `S×S` and normalisation come afterwards
/// (`ImageResizer`, `InputNormalization`, both done by `ImageBatchAssembler`).
///
/// Boxes come in **pixel** coordinates of the input image (as Ground Truth stores them) and leave
/// **normalised** to the output image, which has whatever size the crop produced; normalised boxes are
/// unaffected by the final square resize. Boxes are clipped to the image at every step and those thinner
/// than a pixel dropped, so no box ever leaves `0...1`.
///
/// Each piece is optional (`nil` disables it): `TrainingAugmentation.none` is the validation / inference
/// path, which only normalises the boxes. The geometric pieces compose into one `ImageWindow`, so pixels
/// are copied at most once whatever the chain.
///
/// Determinism: `apply` takes exactly one 64-bit draw from `random` and derives from it one independent
/// stream per piece (`derived(1)` photometric, `(2)` expand, `(3)` crop, `(4)` flip). The same generator
/// state gives the same output bit for bit, and disabling a piece does not change the others' decisions.
public struct TrainingAugmentation: Sendable, Equatable {
    /// Colour jitter and noise; `nil` disables.
    public var photometric: PhotometricDistortion?
    /// Zoom-out; `nil` disables.
    public var expand: RandomExpand?
    /// IoU-constrained crop; `nil` disables.
    public var crop: RandomCrop?
    /// Mirror; `nil` disables.
    public var flip: RandomHorizontalFlip?
    /// Colour of the canvas around an expanded image: the normalisation mean, so padding normalises to ≈ 0.
    public var fillColor: SIMD3<UInt8>

    /// SSD's full pipeline with the reference parameters, unless pieces are replaced or disabled.
    public init(
        photometric: PhotometricDistortion? = PhotometricDistortion(),
        expand: RandomExpand? = RandomExpand(),
        crop: RandomCrop? = RandomCrop(),
        flip: RandomHorizontalFlip? = RandomHorizontalFlip(),
        fillColor: SIMD3<UInt8> = InputNormalization.imageNet.meanColor
    ) {
        self.photometric = photometric
        self.expand = expand
        self.crop = crop
        self.flip = flip
        self.fillColor = fillColor
    }

    /// The full SSD augmentation.
    public static let ssd = TrainingAugmentation()

    /// No augmentation at all: the image passes through and the boxes are only clipped and normalised.
    public static let none = TrainingAugmentation(photometric: nil, expand: nil, crop: nil, flip: nil)

    /// True when nothing random happens (`.none`); `apply` then draws nothing from the generator.
    public var isIdentity: Bool { photometric == nil && expand == nil && crop == nil && flip == nil }

    /// Augments one labelled image.
    /// - Parameters:
    ///   - image: the decoded image.
    ///   - boxes: its objects in pixel coordinates of `image`; parts outside the image are clipped away.
    ///   - random: the image's generator; advanced by one draw (none if `isIdentity`).
    /// - Returns: the augmented image (any size) and its boxes normalised to it, in `0...1`.
    public func apply(_ image: RGBImage, boxes: [GroundTruthBox], random: inout SeededGenerator) -> (RGBImage, [GroundTruthBox]) {
        var boxes = BoxMapping.clipped(boxes, width: image.width, height: image.height)
        guard !isIdentity else { return (image, BoxMapping.normalized(boxes, width: image.width, height: image.height)) }

        let streams = SeededGenerator(seed: random.next())
        var source = image
        if let photometric {
            var stream = streams.derived(1)
            source = photometric.apply(image, random: &stream)
        }
        var window = ImageWindow(sourceWidth: image.width, sourceHeight: image.height)
        if let expand {
            var stream = streams.derived(2)
            (window, boxes) = expand.apply(to: window, boxes: boxes, random: &stream)
        }
        if let crop {
            var stream = streams.derived(3)
            (window, boxes) = crop.apply(to: window, boxes: boxes, random: &stream)
        }
        if let flip {
            var stream = streams.derived(4)
            (window, boxes) = flip.apply(to: window, boxes: boxes, random: &stream)
        }
        let output = window.render(source, fill: fillColor)
        return (output, BoxMapping.normalized(boxes, width: output.width, height: output.height))
    }
}
