import ImageCodec
import ModelCore
import Testing

@Suite("Geometric augmentation: flip, expand and crop move pixels and boxes together")
struct GeometricAugmentationTests {
    static let box = GroundTruthBox(classID: 0, box: BoundingBox(xmin: 10, ymin: 5, xmax: 30, ymax: 20))

    @Test("flip mirrors the pixels and maps a box [x1, x2] to [W − x2, W − x1]")
    func flip() {
        let image = AugmentationFixture.noise(width: 64, height: 40, seed: 2)
        var random = SeededGenerator(seed: 1)
        let (flipped, boxes) = RandomHorizontalFlip(probability: 1).apply(image, boxes: [Self.box], random: &random)
        #expect(boxes == [GroundTruthBox(classID: 0, box: BoundingBox(xmin: 34, ymin: 5, xmax: 54, ymax: 20))])
        var mirrored = true
        for y in 0..<40 { for x in 0..<64 where flipped[x, y] != image[63 - x, y] { mirrored = false } }
        #expect(mirrored)
        var again = SeededGenerator(seed: 1)
        #expect(RandomHorizontalFlip(probability: 0).apply(image, boxes: [Self.box], random: &again).0 == image)
    }

    @Test("flip in normalised coordinates: [x1, x2] → [1 − x2, 1 − x1]")
    func flipNormalized() {
        let image = AugmentationFixture.noise(width: 50, height: 40, seed: 4)
        let augmentation = TrainingAugmentation(photometric: nil, expand: nil, crop: nil, flip: RandomHorizontalFlip(probability: 1))
        var random = SeededGenerator(seed: 5)
        let (_, boxes) = augmentation.apply(image, boxes: [Self.box], random: &random)
        let expected = BoundingBox(xmin: 1 - 30.0 / 50, ymin: 5.0 / 40, xmax: 1 - 10.0 / 50, ymax: 20.0 / 40)
        #expect(boxes.count == 1 && AugmentationFixture.cornerDistance(boxes[0].box, expected) < 1e-6)
    }

    @Test("expand keeps the object under its moved box and fills the canvas with the mean colour", arguments: 0..<20)
    func expand(seed: UInt64) {
        let plain = AugmentationFixture.background(width: 80, height: 60)
        let object = AugmentationFixture.painted(plain, x0: 20, y0: 15, x1: 45, y1: 40)
        let box = GroundTruthBox(classID: 2, box: BoundingBox(xmin: 20, ymin: 15, xmax: 45, ymax: 40))
        let expand = RandomExpand(probability: 1)
        var random = SeededGenerator(seed: seed)
        var same = random
        let (expanded, boxes) = expand.apply(object, boxes: [box], random: &random)
        let (expandedPlain, _) = expand.apply(plain, boxes: [], random: &same)
        #expect(expanded.width >= 80 && expanded.height >= 60 && expanded.width <= 320 && expanded.height <= 240)
        #expect(boxes.count == 1 && boxes[0].classID == 2)
        let extent = AugmentationFixture.objectExtent(with: expanded, without: expandedPlain)!
        #expect(AugmentationFixture.cornerDistance(extent, boxes[0].box) == 0, "object at \(extent), box \(boxes[0].box)")
        // The source sits at the box's offset; everything else is the fill.
        let (dx, dy) = (Int(boxes[0].box.xmin) - 20, Int(boxes[0].box.ymin) - 15)
        let fill = InputNormalization.imageNet.meanColor
        var placed = true
        for y in 0..<expanded.height {
            for x in 0..<expanded.width {
                let inside = x >= dx && x < dx + 80 && y >= dy && y < dy + 60
                let pixel = expanded[x, y]
                let expected: (UInt8, UInt8, UInt8) = inside ? object[x - dx, y - dy] : (fill.x, fill.y, fill.z)
                if pixel != expected { placed = false }
            }
        }
        #expect(placed)
    }

    @Test("crop keeps exactly the boxes whose centre lies inside it, clipped to it", arguments: 0..<100)
    func crop(seed: UInt64) {
        let image = AugmentationFixture.coordinates(width: 200, height: 150)
        let boxes = [
            BoundingBox(xmin: 5, ymin: 5, xmax: 40, ymax: 30), BoundingBox(xmin: 60, ymin: 50, xmax: 140, ymax: 110),
            BoundingBox(xmin: 150, ymin: 20, xmax: 198, ymax: 60), BoundingBox(xmin: 20, ymin: 100, xmax: 50, ymax: 148),
            BoundingBox(xmin: 90, ymin: 10, xmax: 100, ymax: 22),
        ].enumerated().map { GroundTruthBox(classID: $0.offset, box: $0.element) }
        var random = SeededGenerator(seed: seed)
        let (cropped, kept) = RandomCrop().apply(image, boxes: boxes, random: &random)
        // The coordinate image says where the crop came from.
        let (x0, y0) = (Float(cropped[0, 0].r), Float(cropped[0, 0].g))
        let (w, h) = (Float(cropped.width), Float(cropped.height))
        #expect(cropped[cropped.width - 1, cropped.height - 1] == (UInt8(x0 + w - 1), UInt8(y0 + h - 1), 77))
        #expect(cropped.width * cropped.height >= 200 * 150 * 9 / 100 - 400, "crop scale ≥ 0.3 (area ≥ 9 %)")
        let expected = boxes.compactMap { object -> GroundTruthBox? in
            let b = object.box
            guard b.centerX >= x0, b.centerX <= x0 + w, b.centerY >= y0, b.centerY <= y0 + h else { return nil }
            let moved = BoundingBox(
                xmin: max(b.xmin - x0, 0),
                ymin: max(b.ymin - y0, 0),
                xmax: min(b.xmax - x0, w),
                ymax: min(b.ymax - y0, h)
            )
            return moved.width >= 1 && moved.height >= 1 ? GroundTruthBox(classID: object.classID, box: moved) : nil
        }
        #expect(kept == expected)
        #expect(!kept.isEmpty, "a crop always keeps some object of an image that has one")
    }

    @Test("crops satisfy their IoU constraint or are the whole image")
    func cropOverlap() {
        let image = AugmentationFixture.coordinates(width: 200, height: 150)
        let boxes = [GroundTruthBox(classID: 0, box: BoundingBox(xmin: 40, ymin: 30, xmax: 150, ymax: 120))]
        var shapes = Set<[Int]>()
        for seed in 0..<200 as Range<UInt64> {
            var random = SeededGenerator(seed: seed)
            let (cropped, _) = RandomCrop(minimumOverlaps: [0.7]).apply(image, boxes: boxes, random: &random)
            let crop = BoundingBox(x: Float(cropped[0, 0].r), y: Float(cropped[0, 0].g), width: Float(cropped.width), height: Float(cropped.height))
            let whole = cropped.width == 200 && cropped.height == 150
            #expect(whole || crop.intersectionOverUnion(boxes[0].box) >= 0.7)
            shapes.insert([cropped.width, cropped.height, Int(crop.xmin), Int(crop.ymin)])
        }
        #expect(shapes.count > 50, "crops vary: \(shapes.count) distinct")
    }
}
