import Foundation
import ImageCodec
import ModelCore
import Testing

@Suite("Image batches: augment → resize → normalise into [B, 3, S, S], in parallel and reproducibly")
struct ImageBatchTests {
    static let samples: [(image: RGBImage, boxes: [GroundTruthBox])] = (0..<6).map { i in
        let width = 160 + 37 * i
        let height = 120 + 11 * i
        let box = BoundingBox(xmin: Float(20 + i), ymin: 30, xmax: Float(90 + 5 * i), ymax: 100)
        let image = AugmentationFixture.painted(
            AugmentationFixture.background(width: width, height: height),
            x0: 20 + i,
            y0: 30,
            x1: 90 + 5 * i,
            y1: 100
        )
        return (image, [GroundTruthBox(classID: i % 2, box: box)])
    }

    @Test("validation batches are just resize + normalise, with normalised boxes")
    func validation() {
        let assembler = ImageBatchAssembler(imageSize: 64)
        let batch = assembler.assemble(Self.samples)
        #expect(batch.count == 6 && batch.pixels.count == 6 * 3 * 64 * 64)
        for (b, sample) in Self.samples.enumerated() {
            let expected = InputNormalization.imageNet.normalized(ImageResizer.resize(sample.image, width: 64, height: 64))
            #expect(Array(batch.pixels[(b * 3 * 64 * 64)..<((b + 1) * 3 * 64 * 64)]) == expected)
            let box = sample.boxes[0].box
            let normalized = BoundingBox(
                xmin: box.xmin / Float(sample.image.width),
                ymin: box.ymin / Float(sample.image.height),
                xmax: box.xmax / Float(sample.image.width),
                ymax: box.ymax / Float(sample.image.height)
            )
            #expect(batch.boxes[b] == [GroundTruthBox(classID: sample.boxes[0].classID, box: normalized)])
        }
    }

    @Test("training batches depend only on the epoch generator and positions: a resumed run reproduces them")
    func resumable() {
        let assembler = ImageBatchAssembler(imageSize: 96, augmentation: .ssd)
        let epoch = SeededGenerator(seed: 2024).derived(3)
        let whole = assembler.assemble(Self.samples, firstIndexInEpoch: 0, epochRandom: epoch)
        let again = assembler.assemble(Self.samples, firstIndexInEpoch: 0, epochRandom: epoch)
        #expect(whole.pixels == again.pixels && whole.boxes == again.boxes)
        // The second half alone, as a run resumed after three images would build it.
        let resumed = assembler.assemble(Array(Self.samples[3...]), firstIndexInEpoch: 3, epochRandom: epoch)
        #expect(Array(whole.pixels[(3 * assembler.floatsPerImage)...]) == resumed.pixels)
        #expect(Array(whole.boxes[3...]) == resumed.boxes)
        // And each image is what `prepare` makes of it with its own generator.
        var single = [Float](repeating: 0, count: assembler.floatsPerImage)
        var random = ImageBatchAssembler.sampleGenerator(epochRandom: epoch, indexInEpoch: 4)
        let boxes = single.withUnsafeMutableBufferPointer {
            assembler.prepare(Self.samples[4].image, boxes: Self.samples[4].boxes, random: &random, into: $0)
        }
        #expect(Array(whole.pixels[(4 * assembler.floatsPerImage)..<(5 * assembler.floatsPerImage)]) == single && whole.boxes[4] == boxes)
        let otherEpoch = assembler.assemble(Self.samples, firstIndexInEpoch: 0, epochRandom: SeededGenerator(seed: 2024).derived(4))
        #expect(otherEpoch.pixels != whole.pixels)
    }

    @Test("training batch values are finite, boxes normalised and non-empty")
    func trainingBatchSanity() {
        let assembler = ImageBatchAssembler(imageSize: 128, augmentation: .ssd)
        for epoch in 0..<5 as Range<UInt64> {
            let batch = assembler.assemble(Self.samples, firstIndexInEpoch: 0, epochRandom: SeededGenerator(seed: epoch))
            #expect(batch.pixels.allSatisfy { $0.isFinite && abs($0) < 3 })
            #expect(batch.boxes.allSatisfy { boxes in !boxes.isEmpty && boxes.allSatisfy { $0.box.xmin >= 0 && $0.box.xmax <= 1 && $0.box.isValid } })
        }
    }

    /// Renders augmented samples with their boxes to /tmp/augment-look/ for a human to look at.
    /// Run with `APIARY_AUGMENT_LOOK=1`.
    @Test("render augmented samples for inspection", .enabled(if: AugmentationFixture.enabled("APIARY_AUGMENT_LOOK")))
    func look() throws {
        let directory = URL(fileURLWithPath: "/tmp/augment-look")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var scene = AugmentationFixture.background(width: 500, height: 375)
        var boxes: [GroundTruthBox] = []
        for (i, (x, y, w, h)) in [(40, 50, 60, 30), (200, 150, 24, 14), (380, 260, 90, 70), (300, 40, 12, 8), (120, 280, 40, 40)].enumerated() {
            // A "bee": yellow body with black stripes.
            scene = AugmentationFixture.painted(scene, x0: x, y0: y, x1: x + w, y1: y + h, color: (235, 190, 30))
            for stripe in stride(from: x + w / 5, to: x + w, by: max(w / 4, 2)) {
                scene = AugmentationFixture.painted(scene, x0: stripe, y0: y, x1: min(stripe + max(w / 10, 1), x + w), y1: y + h, color: (20, 15, 10))
            }
            boxes.append(GroundTruthBox(classID: i % 2, box: BoundingBox(x: Float(x), y: Float(y), width: Float(w), height: Float(h))))
        }
        var original = scene
        for b in boxes { original = AugmentationFixture.outlined(original, box: b.box, color: (255, 0, 255)) }
        try Data(PNGCodec.encode(original)).write(to: directory.appendingPathComponent("original.png"))
        for seed in 0..<8 as Range<UInt64> {
            var random = SeededGenerator(seed: seed)
            let (augmented, normalized) = TrainingAugmentation.ssd.apply(scene, boxes: boxes, random: &random)
            var image = ImageResizer.resize(augmented, width: 300, height: 300)
            for b in normalized { image = AugmentationFixture.outlined(image, box: b.box.scaled(x: 300, y: 300), color: (255, 0, 255)) }
            try Data(PNGCodec.encode(image)).write(to: directory.appendingPathComponent("sample-\(seed).png"))
        }
    }
}
