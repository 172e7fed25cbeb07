import Dispatch
import ImageCodec

/// A batch of network inputs: `[B, 3, S, S]` normalised planar floats and each image's boxes.
public struct ImageBatch: Sendable {
    /// Side `S` of the square input images.
    public let imageSize: Int
    /// `B · 3 · S · S` floats, image-major, then channel, row, column.
    public var pixels: [Float]
    /// Per image, its ground truth normalised to `0...1` of the (augmented) image.
    public var boxes: [[GroundTruthBox]]

    /// Number of images `B`.
    public var count: Int { boxes.count }
}

/// Turns decoded, labelled images into network input: augment (training only) → resize to `S×S` →
/// normalise, each image straight into its slice of the batch tensor.
///
/// Images are processed in parallel with `DispatchQueue.concurrentPerform`; the result does not depend on
/// scheduling because no image draws from a shared generator. **Determinism scheme:** the training loop
/// keeps one generator per epoch, e.g. `SeededGenerator(seed: runSeed).derived(epoch)`, and the image at
/// position `i` of that epoch's (shuffled) order is augmented with `epochRandom.derived(UInt64(i))`
/// (`sampleGenerator(epochRandom:indexInEpoch:)`). `derived` does not advance the epoch generator, so a
/// batch depends only on the run seed, the epoch and the positions it covers: a run resumed at any batch
/// (or one that skips, reorders or retries batches) reproduces the same pixels and boxes bit for bit.
public struct ImageBatchAssembler: Sendable {
    /// Side `S` of the network input (`image_shape`).
    public var imageSize: Int
    /// Augmentation before the resize; `.none` for validation and inference.
    public var augmentation: TrainingAugmentation
    /// Pixel normalisation of the network input.
    public var normalization: InputNormalization

    /// - Parameters:
    ///   - imageSize: side `S` of the square network input, > 0.
    ///   - augmentation: `.ssd` (or a variant) for training, `.none` (default) for validation and inference.
    ///   - normalization: defaults to ImageNet statistics.
    public init(imageSize: Int, augmentation: TrainingAugmentation = .none, normalization: InputNormalization = .imageNet) {
        precondition(imageSize > 0, "image size must be positive")
        self.imageSize = imageSize
        self.augmentation = augmentation
        self.normalization = normalization
    }

    /// Floats of one image in the batch tensor: `3 · S · S`.
    public var floatsPerImage: Int { 3 * imageSize * imageSize }

    /// The generator of the image at position `indexInEpoch` of an epoch (see the determinism scheme above).
    public static func sampleGenerator(epochRandom: SeededGenerator, indexInEpoch: Int) -> SeededGenerator {
        epochRandom.derived(UInt64(indexInEpoch))
    }

    /// Prepares one image into `output` (`3 · S · S` floats).
    /// - Parameters:
    ///   - boxes: ground truth in pixel coordinates of `image`.
    ///   - random: the image's generator (unused without augmentation).
    /// - Returns: the boxes normalised to `0...1`.
    public func prepare(
        _ image: RGBImage,
        boxes: [GroundTruthBox],
        random: inout SeededGenerator,
        into output: UnsafeMutableBufferPointer<Float>
    ) -> [GroundTruthBox] {
        let (augmented, normalizedBoxes) = augmentation.apply(image, boxes: boxes, random: &random)
        let resized = ImageResizer.resize(augmented, width: imageSize, height: imageSize)
        normalization.normalize(resized, into: output)
        return normalizedBoxes
    }

    /// Prepares a batch in parallel into a caller-owned tensor buffer.
    /// - Parameters:
    ///   - count: batch size `B`.
    ///   - firstIndexInEpoch: position in the epoch of the batch's first image; image `b` uses the
    ///     generator `sampleGenerator(epochRandom:indexInEpoch: firstIndexInEpoch + b)`.
    ///   - epochRandom: the epoch's generator (not advanced).
    ///   - output: exactly `B · 3 · S · S` floats.
    ///   - concurrently: spread the images over Dispatch's pool (default), or prepare them one after another on
    ///     this thread (a loader that must not compete with the network); the result is the same.
    ///   - sample: image `b` of the batch and its pixel-coordinate boxes; called concurrently, once per image
    ///     (so decoding inside it is parallel too).
    /// - Returns: each image's normalised boxes.
    public func assemble(
        count: Int,
        firstIndexInEpoch: Int,
        epochRandom: SeededGenerator,
        into output: UnsafeMutableBufferPointer<Float>,
        concurrently: Bool = true,
        sample: @Sendable (Int) -> (image: RGBImage, boxes: [GroundTruthBox])
    ) -> [[GroundTruthBox]] {
        precondition(output.count == count * floatsPerImage, "output must hold \(count)×3×\(imageSize)×\(imageSize) floats")
        var boxes = [[GroundTruthBox]](repeating: [], count: count)
        let stride = floatsPerImage
        boxes.withUnsafeMutableBufferPointer { boxSlots in
            // Each iteration writes only its own slice of `output` and its own slot of `boxes`, so the
            // shared pointers are never written at the same place twice: no locks needed.
            let destinations = DisjointDestinations(pixels: output, boxes: boxSlots)
            let prepareImage: @Sendable (Int) -> Void = { b in
                let (image, pixelBoxes) = sample(b)
                var random = Self.sampleGenerator(epochRandom: epochRandom, indexInEpoch: firstIndexInEpoch + b)
                let slice = UnsafeMutableBufferPointer(rebasing: destinations.pixels[(b * stride)..<((b + 1) * stride)])
                destinations.boxes[b] = prepare(image, boxes: pixelBoxes, random: &random, into: slice)
            }
            if concurrently {
                DispatchQueue.concurrentPerform(iterations: count, execute: prepareImage)
            } else {
                (0..<count).forEach(prepareImage)
            }
        }
        return boxes
    }

    /// Prepares a batch of already decoded images into a new `ImageBatch`.
    /// - Parameters:
    ///   - samples: images with their pixel-coordinate boxes.
    ///   - firstIndexInEpoch: position in the epoch of `samples[0]` (see `assemble(count:…)`).
    ///   - epochRandom: the epoch's generator (not advanced); irrelevant without augmentation.
    public func assemble(
        _ samples: [(image: RGBImage, boxes: [GroundTruthBox])],
        firstIndexInEpoch: Int = 0,
        epochRandom: SeededGenerator = SeededGenerator(seed: 0)
    ) -> ImageBatch {
        var boxes: [[GroundTruthBox]] = []
        let pixels = [Float](unsafeUninitializedCapacity: samples.count * floatsPerImage) { buffer, initialized in
            boxes = assemble(count: samples.count, firstIndexInEpoch: firstIndexInEpoch, epochRandom: epochRandom, into: buffer) { samples[$0] }
            initialized = buffer.count
        }
        return ImageBatch(imageSize: imageSize, pixels: pixels, boxes: boxes)
    }
}

/// The batch's output buffers, shared by the parallel iterations of `assemble`, each of which writes a
/// disjoint part (its own image slice and box slot); that disjointness is what makes this `Sendable`.
private struct DisjointDestinations: @unchecked Sendable {
    let pixels: UnsafeMutableBufferPointer<Float>
    let boxes: UnsafeMutableBufferPointer<[GroundTruthBox]>
}
