import Dispatch
import Foundation
import ImageCodec

/// Turns an epoch's records into network-ready batches: shuffle, decode (once a job, `DecodedImageCache`),
/// validate, augment, resize, normalise.
///
/// Pure with respect to (seed, epoch, batch index): the order of epoch `e` is a Fisher–Yates shuffle drawn
/// from `SeededGenerator(seed).derived(e)`, and each image's augmentation from that generator derived again
/// by its position (`ImageBatchAssembler`). A resumed run therefore sees exactly the batches an uninterrupted
/// one would. The last batch is padded with the epoch's first images (MXNet's `last_batch_handle='pad'`),
/// so every batch has the same shape and no image is skipped.
///
/// In data-parallel training over replicated data, each rank's source holds every record and takes its slice of
/// the job's global batch: batch `i` of rank `r` is positions `i·globalBatchSize + offset ..< … + batchSize` of the epoch's
/// order, augmented as those positions are in a one-process run with a batch of `globalBatchSize`. So the ranks together
/// see exactly the batches, and augmentations, of that run.
struct BatchSource: Sendable {
    let records: [TrainingRecord]
    let batchSize: Int
    let assembler: ImageBatchAssembler
    let seed: UInt64
    let shuffles: Bool
    let classCount: Int
    /// Each record's decoded image, shared by the copies of this source (`slice`).
    let decoded: DecodedImageCache
    /// Positions of the epoch's order between the starts of two consecutive batches: the global batch.
    var globalBatchSize: Int
    /// Where this rank's slice starts within each global batch.
    var offset = 0
    /// Batches an epoch; every rank of a job must take the same number of steps.
    var batchesPerEpoch: Int

    init(
        records: [TrainingRecord],
        batchSize: Int,
        assembler: ImageBatchAssembler,
        seed: UInt64,
        shuffles: Bool,
        classCount: Int,
        decoded: DecodedImageCache = DecodedImageCache()
    ) {
        self.records = records
        self.batchSize = batchSize
        self.assembler = assembler
        self.seed = seed
        self.shuffles = shuffles
        self.classCount = classCount
        self.decoded = decoded
        globalBatchSize = batchSize
        batchesPerEpoch = (records.count + batchSize - 1) / batchSize
    }

    /// This source as rank `rank` of `size` ranks sharing replicated records: a global batch of `size` slices.
    func slice(rank: Int, of size: Int) -> BatchSource {
        var source = self
        source.globalBatchSize = batchSize * size
        source.offset = batchSize * rank
        source.batchesPerEpoch = (records.count + source.globalBatchSize - 1) / source.globalBatchSize
        return source
    }

    /// The record indices of an epoch, in training order.
    func order(epoch: Int) -> [Int] {
        var indices = Array(records.indices)
        guard shuffles else { return indices }
        var random = SeededGenerator(seed: seed).derived(UInt64(epoch))
        for i in stride(from: indices.count - 1, to: 0, by: -1) {
            indices.swapAt(i, Int(random.next() % UInt64(i + 1)))
        }
        return indices
    }

    /// A batch: `[B, 3, S, S]` pixels, each image's normalised boxes, and which records it holds.
    typealias Batch = (pixels: [Float], boxes: [[GroundTruthBox]], records: [Int])

    /// Batch `index` of an epoch: `[B, 3, S, S]` pixels, normalised boxes, and which records it holds; its images
    /// prepared in parallel, or one after another on this thread (`ImageBatchAssembler.assemble`), alike.
    func batch(epoch: Int, index: Int, order: [Int], concurrently: Bool = true) throws -> Batch {
        let first = index * globalBatchSize + offset
        let members = (0..<batchSize).map { order[(first + $0) % order.count] }
        let failures = FailureSlots()
        let epochRandom = SeededGenerator(seed: seed).derived(UInt64(epoch)).derived(0xA06)
        var boxes: [[GroundTruthBox]] = []
        let pixels = [Float](unsafeUninitializedCapacity: batchSize * assembler.floatsPerImage) { buffer, initialized in
            boxes = assembler.assemble(
                count: members.count,
                firstIndexInEpoch: first,
                epochRandom: epochRandom,
                into: buffer,
                concurrently: concurrently
            ) { b in
                do {
                    return try load(members[b])
                } catch {
                    failures.record(error, at: b)
                    return (RGBImage(width: 1, height: 1), [])
                }
            }
            initialized = buffer.count
        }
        if let error = failures.first { throw error }
        return (pixels, boxes, members)
    }

    /// Decodes a record and checks its boxes against the decoded image.
    func load(_ index: Int) throws -> (image: RGBImage, boxes: [GroundTruthBox]) {
        let record = records[index]
        let image: RGBImage
        do {
            image = try decoded.image(index) { try record.loadImage() }
        } catch {
            throw TrainingClientError("Unable to read image '\(record.identifier)': \(error)")
        }
        let width = Float(image.width)
        let height = Float(image.height)
        for box in record.boxes {
            guard box.classID >= 0, box.classID < classCount else {
                throw TrainingClientError(
                    "Image '\(record.identifier)' has class_id \(box.classID), but num_classes is \(classCount) (valid ids 0…\(classCount - 1))."
                )
            }
            let b = box.box
            // Half a pixel of slack: labelling tools round corners.
            guard b.isValid, b.xmin >= -0.5, b.ymin >= -0.5, b.xmax <= width + 0.5, b.ymax <= height + 0.5 else {
                throw TrainingClientError(
                    "Image '\(record.identifier)' (\(image.width)×\(image.height)) has a box outside the image or empty: "
                        + "left \(b.xmin), top \(b.ymin), width \(b.width), height \(b.height)."
                )
            }
        }
        return (image, record.boxes)
    }
}

/// The first error of a parallel batch, by position, so the reported record does not depend on scheduling.
private final class FailureSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Int: any Error] = [:]
    func record(_ error: any Error, at index: Int) { lock.withLock { errors[index] = error } }
    var first: (any Error)? { lock.withLock { errors.keys.min().map { errors[$0]! } } }
}
