import ModelCore
import Testing

@Suite("Bounding boxes: area, IoU, center-size form")
struct BoundingBoxTests {
    @Test("IoU of known boxes")
    func knownIoU() {
        let unit = BoundingBox(xmin: 0, ymin: 0, xmax: 2, ymax: 2)
        #expect(unit.intersectionOverUnion(unit) == 1)
        // Overlap 1×1, union 4 + 4 - 1.
        #expect(unit.intersectionOverUnion(BoundingBox(xmin: 1, ymin: 1, xmax: 3, ymax: 3)) == Float(1) / 7)
        // Contained: 4 / 16.
        let outer = BoundingBox(xmin: 0, ymin: 0, xmax: 4, ymax: 4)
        #expect(outer.intersectionOverUnion(BoundingBox(xmin: 1, ymin: 1, xmax: 3, ymax: 3)) == 0.25)
        // Half of the box: exactly 0.5.
        #expect(unit.intersectionOverUnion(BoundingBox(xmin: 0, ymin: 0, xmax: 2, ymax: 1)) == 0.5)
        // Disjoint and edge-touching boxes do not overlap.
        #expect(unit.intersectionOverUnion(BoundingBox(xmin: 5, ymin: 5, xmax: 6, ymax: 6)) == 0)
        #expect(unit.intersectionOverUnion(BoundingBox(xmin: 2, ymin: 0, xmax: 4, ymax: 2)) == 0)
    }

    @Test("IoU is symmetric and scale-invariant")
    func iouSymmetricAndScaleInvariant() {
        let a = BoundingBox(xmin: 0.1, ymin: 0.2, xmax: 0.5, ymax: 0.7)
        let b = BoundingBox(xmin: 0.3, ymin: 0.1, xmax: 0.6, ymax: 0.5)
        #expect(a.intersectionOverUnion(b) == b.intersectionOverUnion(a))
        let pixels = a.scaled(x: 640, y: 480).intersectionOverUnion(b.scaled(x: 640, y: 480))
        #expect(abs(pixels - a.intersectionOverUnion(b)) < 1e-6)
    }

    @Test("empty and inverted boxes have no area and no overlap")
    func degenerate() {
        let inverted = BoundingBox(xmin: 3, ymin: 3, xmax: 1, ymax: 1)
        let flat = BoundingBox(xmin: 0, ymin: 1, xmax: 4, ymax: 1)
        #expect(inverted.area == 0 && !inverted.isValid)
        #expect(flat.area == 0 && !flat.isValid)
        #expect(flat.intersectionOverUnion(flat) == 0)
        #expect(inverted.intersectionOverUnion(BoundingBox(xmin: 0, ymin: 0, xmax: 4, ymax: 4)) == 0)
    }

    @Test("center-size form round-trips")
    func centerSize() {
        let box = BoundingBox(centerX: 0.5, centerY: 0.25, width: 0.5, height: 0.25)
        #expect(box == BoundingBox(xmin: 0.25, ymin: 0.125, xmax: 0.75, ymax: 0.375))
        #expect(box.centerX == 0.5 && box.centerY == 0.25 && box.width == 0.5 && box.height == 0.25)
        #expect(box.area == 0.125)

        let odd = BoundingBox(xmin: 0.13, ymin: 0.27, xmax: 0.71, ymax: 0.94)
        let back = BoundingBox(centerX: odd.centerX, centerY: odd.centerY, width: odd.width, height: odd.height)
        for (x, y) in [(back.xmin, odd.xmin), (back.ymin, odd.ymin), (back.xmax, odd.xmax), (back.ymax, odd.ymax)] {
            #expect(abs(x - y) < 1e-6)
        }
    }

    @Test("COCO-style corner-size form, scaling and clipping")
    func otherForms() {
        #expect(BoundingBox(x: 10, y: 20, width: 30, height: 40) == BoundingBox(xmin: 10, ymin: 20, xmax: 40, ymax: 60))
        #expect(
            BoundingBox(xmin: 0.5, ymin: 0.25, xmax: 1, ymax: 0.75).scaled(x: 640, y: 480) == BoundingBox(xmin: 320, ymin: 120, xmax: 640, ymax: 360)
        )
        #expect(BoundingBox(xmin: -0.2, ymin: 0.1, xmax: 1.3, ymax: 0.9).clippedToUnitSquare() == BoundingBox(xmin: 0, ymin: 0.1, xmax: 1, ymax: 0.9))
    }
}
