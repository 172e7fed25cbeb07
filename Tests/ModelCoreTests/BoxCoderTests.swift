import ModelCore
import Testing

@Suite("SSD box encoding")
struct BoxCoderTests {
    @Test("encode: centre offsets over anchor size, log size ratios, divided by (0.1, 0.1, 0.2, 0.2)")
    func knownValues() {
        let anchor = BoundingBox(xmin: 0, ymin: 0, xmax: 0.2, ymax: 0.2)
        let box = BoundingBox(xmin: 0.05, ymin: 0.05, xmax: 0.25, ymax: 0.35)
        let offsets = BoxCoder.ssd.encode(box, anchor: anchor)
        expectClose([offsets.x, offsets.y, offsets.z, offsets.w], [2.5, 5, 0, 2.027_325_5], atol: 1e-5, rtol: 1e-5, "offsets")
        #expect(BoxCoder.ssd.variances == SIMD4(0.1, 0.1, 0.2, 0.2))
    }

    @Test("decode inverts encode on random boxes and anchors")
    func roundTrip() {
        var random = TestRandom(seed: 7)
        let coder = BoxCoder.ssd
        for _ in 0..<200 {
            func randomBox() -> BoundingBox {
                BoundingBox(
                    centerX: 0.5 + 0.5 * random.uniform(),
                    centerY: 0.5 + 0.5 * random.uniform(),
                    width: 0.02 + 0.49 * (random.uniform() + 1),
                    height: 0.02 + 0.49 * (random.uniform() + 1)
                )
            }
            let anchor = randomBox()
            let box = randomBox()
            let decoded = coder.decode(coder.encode(box, anchor: anchor), anchor: anchor)
            expectClose(
                [decoded.xmin, decoded.ymin, decoded.xmax, decoded.ymax],
                [box.xmin, box.ymin, box.xmax, box.ymax],
                atol: 1e-5,
                rtol: 0,
                "round trip of \(box) on \(anchor)"
            )
        }
    }

    @Test("zero offsets decode to the anchor itself")
    func zeroOffsets() {
        let anchor = BoundingBox(xmin: -0.1, ymin: 0.2, xmax: 0.3, ymax: 0.9)
        let decoded = BoxCoder.ssd.decode(.zero, anchor: anchor)
        expectClose([decoded.xmin, decoded.ymin, decoded.xmax, decoded.ymax], [-0.1, 0.2, 0.3, 0.9], atol: 1e-6, rtol: 0, "anchor")
    }
}
