import Foundation
import ImageCodec
import ModelCore
import Testing

@Suite("Training augmentation: photometric jitter, the full SSD pipeline, determinism")
struct TrainingAugmentationTests {
    static let plain = AugmentationFixture.background(width: 320, height: 240)
    static let object = AugmentationFixture.painted(plain, x0: 120, y0: 90, x1: 200, y1: 150)
    static let box = GroundTruthBox(classID: 1, box: BoundingBox(xmin: 120, ymin: 90, xmax: 200, ymax: 150))

    @Test("photometric jitter changes pixels but not geometry or boxes", arguments: 0..<10)
    func photometricKeepsBoxes(seed: UInt64) {
        let augmentation = TrainingAugmentation(photometric: PhotometricDistortion(probability: 1), expand: nil, crop: nil, flip: nil)
        var random = SeededGenerator(seed: seed)
        let (image, boxes) = augmentation.apply(Self.object, boxes: [Self.box], random: &random)
        #expect(image.width == 320 && image.height == 240)
        #expect(boxes == [GroundTruthBox(classID: 1, box: BoundingBox(xmin: 120.0 / 320, ymin: 90.0 / 240, xmax: 200.0 / 320, ymax: 150.0 / 240))])
        #expect(image != Self.object)
        // Bytes cannot leave 0...255; check the clamping did not flatten the image to one level either.
        #expect(Set(image.pixels).count > 50)
    }

    @Test("saturation and hue leave grey pixels grey", arguments: [0, 40, 128, 200, 255] as [UInt8])
    func greyStaysGrey(level: UInt8) {
        let distortion = PhotometricDistortion(probability: 1, brightnessDelta: 0, contrastRange: 1...1, noiseStandardDeviation: 0)
        let image = RGBImage(width: 9, height: 2, fill: (level, level, level))
        for seed in 0..<20 as Range<UInt64> {
            var random = SeededGenerator(seed: seed)
            let output = distortion.apply(image, random: &random)
            #expect(output.pixels.allSatisfy { abs(Int($0) - Int(level)) <= 1 })
        }
    }

    @Test("pixel noise has zero mean and the requested standard deviation")
    func noiseStatistics() {
        let distortion = PhotometricDistortion(
            probability: 1,
            brightnessDelta: 0,
            contrastRange: 1...1,
            saturationRange: 1...1,
            hueDelta: 0,
            noiseStandardDeviation: 3
        )
        var random = SeededGenerator(seed: 11)
        let output = distortion.apply(RGBImage(width: 200, height: 200, fill: (128, 128, 128)), random: &random)
        let values = output.pixels.map { Double($0) - 128 }
        let mean = values.reduce(0, +) / Double(values.count)
        let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        // Rounding to levels adds a variance of 1/12: √(9 + 1/12) ≈ 3.01.
        #expect(abs(mean) < 0.05 && abs(deviation - 3.01) < 0.08, "mean \(mean), σ \(deviation)")
    }

    @Test("the same generator state gives bit-identical output; another gives another; one draw is taken")
    func determinism() {
        var first = SeededGenerator(seed: 7)
        var second = SeededGenerator(seed: 7)
        let a = TrainingAugmentation.ssd.apply(Self.object, boxes: [Self.box], random: &first)
        let b = TrainingAugmentation.ssd.apply(Self.object, boxes: [Self.box], random: &second)
        #expect(a.0 == b.0 && a.1 == b.1)
        var advanced = SeededGenerator(seed: 7)
        _ = advanced.next()
        #expect(first == advanced)
        let outputs = (0..<8 as Range<UInt64>).map { seed in
            var random = SeededGenerator(seed: seed)
            return TrainingAugmentation.ssd.apply(Self.object, boxes: [Self.box], random: &random)
        }
        for i in 1..<outputs.count { #expect(outputs[i].0 != outputs[0].0 || outputs[i].1 != outputs[0].1) }
    }

    @Test("the full pipeline keeps box and object together, before and after the resize to 300", arguments: 0..<50)
    func objectFollowsBox(seed: UInt64) {
        // The same scene with and without the object, through identical random decisions: where they
        // differ is where the object is, whatever the colour jitter did to it.
        var random = SeededGenerator(seed: seed)
        var same = random
        let (image, boxes) = TrainingAugmentation.ssd.apply(Self.object, boxes: [Self.box], random: &random)
        let (background, _) = TrainingAugmentation.ssd.apply(Self.plain, boxes: [Self.box], random: &same)
        #expect(boxes.count == 1 && boxes[0].classID == 1)
        guard let box = boxes.first?.box else { return }
        #expect(box.xmin >= 0 && box.ymin >= 0 && box.xmax <= 1 && box.ymax <= 1)
        let extent = AugmentationFixture.objectExtent(with: image, without: background)!
        let pixelBox = box.scaled(x: Float(image.width), y: Float(image.height))
        #expect(AugmentationFixture.cornerDistance(extent, pixelBox) <= 1, "augmented: object \(extent), box \(pixelBox)")
        let resized = ImageResizer.resize(image, width: 300, height: 300)
        let resizedBackground = ImageResizer.resize(background, width: 300, height: 300)
        let resizedExtent = AugmentationFixture.objectExtent(with: resized, without: resizedBackground)!
        let resizedBox = box.scaled(x: 300, y: 300)
        #expect(AugmentationFixture.cornerDistance(resizedExtent, resizedBox) <= 1, "resized: object \(resizedExtent), box \(resizedBox)")
    }

    @Test("boxes stay inside the image and are never thinner than a pixel", arguments: 0..<40)
    func boxesStayInside(seed: UInt64) {
        let boxes = [
            BoundingBox(xmin: -20, ymin: -10, xmax: 30, ymax: 25), BoundingBox(xmin: 300, ymin: 200, xmax: 400, ymax: 260),
            BoundingBox(xmin: 100, ymin: 100, xmax: 100.5, ymax: 140), BoundingBox(xmin: 150, ymin: 60, xmax: 158, ymax: 66),
            BoundingBox(xmin: 10, ymin: 120, xmax: 200, ymax: 230),
        ].map { GroundTruthBox(classID: 0, box: $0) }
        var random = SeededGenerator(seed: seed)
        let (image, output) = TrainingAugmentation.ssd.apply(Self.plain, boxes: boxes, random: &random)
        #expect(!output.isEmpty && output.count <= 4, "the 0.5-pixel-wide box is dropped")
        for object in output {
            let b = object.box
            #expect(b.xmin >= 0 && b.ymin >= 0 && b.xmax <= 1 && b.ymax <= 1)
            #expect(b.width * Float(image.width) >= 0.999 && b.height * Float(image.height) >= 0.999)
        }
    }

    @Test("no augmentation passes the image through and only normalises the boxes")
    func none() {
        var random = SeededGenerator(seed: 3)
        let before = random
        let (image, boxes) = TrainingAugmentation.none.apply(Self.object, boxes: [Self.box], random: &random)
        #expect(image == Self.object && random == before)
        #expect(boxes == [GroundTruthBox(classID: 1, box: BoundingBox(xmin: 0.375, ymin: 0.375, xmax: 0.625, ymax: 0.625))])
    }
}
