import Foundation
import ImageCodec
import Testing

@testable import ModelCore

@Suite("Decoded image cache: each image decoded once a job, the same batches as without it")
struct DecodedImageCacheTests {
    /// Counts decodes per record, from the loader's parallel threads.
    final class DecodeCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [Int: Int] = [:]
        func record(_ index: Int) { lock.withLock { counts[index, default: 0] += 1 } }
        var all: [Int: Int] { lock.withLock { counts } }
    }

    static func source(_ records: [TrainingRecord], cache: DecodedImageCache) -> BatchSource {
        BatchSource(
            records: records,
            batchSize: 2,
            assembler: ImageBatchAssembler(imageSize: 64, augmentation: .ssd),
            seed: 5,
            shuffles: true,
            classCount: 1,
            decoded: cache
        )
    }

    static func counted(_ count: Int, counter: DecodeCounter) -> [TrainingRecord] {
        SyntheticBees.records(count, seed: 70).enumerated().map { index, record in
            var counted = record
            counted.loadImage = {
                counter.record(index)
                return try record.loadImage()
            }
            return counted
        }
    }

    @Test("three epochs decode each image once, and give the batches an uncached source gives")
    func decodesOnce() throws {
        let cachedCounter = DecodeCounter()
        let uncachedCounter = DecodeCounter()
        let cached = Self.source(Self.counted(5, counter: cachedCounter), cache: DecodedImageCache())
        let uncached = Self.source(Self.counted(5, counter: uncachedCounter), cache: DecodedImageCache(budget: 0))
        for epoch in 0..<3 {
            let order = cached.order(epoch: epoch)
            for index in 0..<cached.batchesPerEpoch {
                let a = try cached.batch(epoch: epoch, index: index, order: order)
                let b = try uncached.batch(epoch: epoch, index: index, order: order)
                #expect(a.pixels == b.pixels)
                #expect(a.boxes == b.boxes)
                #expect(a.records == b.records)
            }
        }
        #expect(cachedCounter.all == Dictionary(uniqueKeysWithValues: (0..<5).map { ($0, 1) }))
        // 3 batches of 2 an epoch, the last padded: 6 loads an epoch.
        #expect(uncachedCounter.all.values.reduce(0, +) == 18)
    }

    @Test("past its budget the cache keeps what it holds and decodes the rest every time")
    func budget() throws {
        let image = RGBImage(width: 10, height: 10)
        let cache = DecodedImageCache(budget: 2 * image.pixels.count)
        var decodes = 0
        for _ in 0..<2 {
            for key in 0..<3 {
                _ = cache.image(key) {
                    decodes += 1
                    return image
                }
            }
        }
        #expect(decodes == 4)
        #expect(cache.heldBytes == 2 * image.pixels.count)
        struct Broken: Error {}
        #expect(throws: Broken.self) { try cache.image(9) { throw Broken() } }
        #expect(cache.heldBytes == 2 * image.pixels.count)
    }
}
