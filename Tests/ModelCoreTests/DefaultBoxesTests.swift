import ModelCore
import Testing

@Suite("SSD default boxes")
struct DefaultBoxesTests {
    /// `[xmin, ymin, xmax, ymax]` of a box, for `expectClose`.
    static func corners(_ box: BoundingBox) -> [Float] { [box.xmin, box.ymin, box.xmax, box.ymax] }

    /// Corners of a box centred at `(cx, cy)` with half-extents `(hw, hh)`, computed in Double.
    static func expected(_ cx: Double, _ cy: Double, _ hw: Double, _ hh: Double) -> [Float] {
        [Float(cx - hw), Float(cy - hh), Float(cx + hw), Float(cy + hh)]
    }

    @Test("SSD300-VGG16: 8,732 boxes in MXNet's layout (4, 6, 6, 6, 4, 4 per cell)")
    func ssd300Counts() {
        let anchors = DefaultBoxes.ssd300VGG16
        #expect(anchors.count == 8_732)
        #expect(anchors.featureMaps.map(\.boxesPerCell) == [4, 6, 6, 6, 4, 4])
        #expect(anchors.featureMaps.map(\.boxCount) == [5_776, 2_166, 600, 150, 36, 4])
        #expect(anchors.anchorRange(ofMap: 0) == 0..<5_776)
        #expect(anchors.anchorRange(ofMap: 1) == 5_776..<7_942)
        #expect(anchors.anchorRange(ofMap: 5) == 8_728..<8_732)
        #expect(anchors.boxes.allSatisfy { $0.isValid })
    }

    @Test("SSD300-VGG16: exact coordinates (sizes first, then ratios; row, column, box order; not clipped)")
    func ssd300Coordinates() {
        let boxes = DefaultBoxes.ssd300VGG16.boxes
        let tolerance: Float = 1e-6
        // Map 0 (38×38, step 8/300), cell (0, 0): centre 4/300.
        let c0 = 4.0 / 300
        expectClose(Self.corners(boxes[0]), Self.expected(c0, c0, 0.05, 0.05), atol: tolerance, rtol: 0, "map 0 size 0.1")
        expectClose(Self.corners(boxes[1]), Self.expected(c0, c0, 0.0705, 0.0705), atol: tolerance, rtol: 0, "map 0 size 0.141")
        let root2 = 2.0.squareRoot()
        expectClose(Self.corners(boxes[2]), Self.expected(c0, c0, 0.05 * root2, 0.05 / root2), atol: tolerance, rtol: 0, "map 0 ratio 2")
        expectClose(Self.corners(boxes[3]), Self.expected(c0, c0, 0.05 / root2, 0.05 * root2), atol: tolerance, rtol: 0, "map 0 ratio 1/2")
        // Next column comes next: cell (0, 1), centre x 12/300.
        expectClose(Self.corners(boxes[4]), Self.expected(12.0 / 300, c0, 0.05, 0.05), atol: tolerance, rtol: 0, "map 0 cell (0, 1)")
        // Next row after 38 columns: cell (1, 0).
        expectClose(Self.corners(boxes[38 * 4]), Self.expected(c0, 12.0 / 300, 0.05, 0.05), atol: tolerance, rtol: 0, "map 0 cell (1, 0)")
        // Map 1 (19×19, step 16/300), cell (y 2, x 3), box 4 = ratio 3 at size 0.2.
        let root3 = 3.0.squareRoot()
        expectClose(
            Self.corners(boxes[5_776 + (2 * 19 + 3) * 6 + 4]),
            Self.expected(3.5 * 16 / 300, 2.5 * 16 / 300, 0.1 * root3, 0.1 / root3),
            atol: tolerance,
            rtol: 0,
            "map 1 ratio 3"
        )
        // Last box: map 5 (1×1), ratio 1/2 at size 0.88, centred on the image, sticking out at the top and bottom.
        let last = Self.expected(0.5, 0.5, 0.44 / root2, 0.44 * root2)
        expectClose(Self.corners(boxes[8_731]), last, atol: tolerance, rtol: 0, "map 5 ratio 1/2")
        #expect(boxes[8_731].ymin < 0 && boxes[8_731].ymax > 1)
    }

    @Test("custom maps: default steps 1/side, non-square maps scale widths by H/W, row-major order")
    func customMaps() {
        let map = DefaultBoxes.FeatureMap(height: 2, width: 4, sizes: [0.5], ratios: [1, 4])
        let anchors = DefaultBoxes(featureMaps: [map, DefaultBoxes.FeatureMap(height: 1, width: 1, sizes: [0.9], ratios: [1])])
        #expect(map.boxesPerCell == 2)
        #expect(anchors.count == 2 * 4 * 2 + 1)
        #expect(anchors.anchorRange(ofMap: 1) == 16..<17)
        // Cell (y 1, x 2) is cell 6; its boxes are 12 (square) and 13 (ratio 4). Width = size·H/W(·√ratio).
        expectClose(Self.corners(anchors.boxes[12]), Self.expected(2.5 / 4, 1.5 / 2, 0.125, 0.25), atol: 1e-6, rtol: 0, "square")
        expectClose(Self.corners(anchors.boxes[13]), Self.expected(2.5 / 4, 1.5 / 2, 0.25, 0.125), atol: 1e-6, rtol: 0, "ratio 4")
        expectClose(Self.corners(anchors.boxes[16]), Self.expected(0.5, 0.5, 0.45, 0.45), atol: 1e-6, rtol: 0, "1×1 map")
    }

    @Test("MXNet's standard layout for other backbones, e.g. ResNet-50 at 300 (19, 10, 5, 3, 2, 1)")
    func otherBackbone() {
        let anchors = DefaultBoxes.mxnet(mapSizes: [19, 10, 5, 3, 2, 1])
        #expect(anchors.count == 361 * 4 + 100 * 6 + 25 * 6 + 9 * 6 + 4 * 4 + 1 * 4)
        // Default step 1/19: first centre 0.5/19.
        let c0 = 0.5 / 19
        expectClose(Self.corners(anchors.boxes[0]), Self.expected(c0, c0, 0.05, 0.05), atol: 1e-6, rtol: 0, "first box")
    }
}
