import ModelCore
import Testing

@Suite("SSD target assignment (MultiBoxTarget matching)")
struct TargetAssignmentTests {
    static func box(_ xmin: Float, _ ymin: Float, _ xmax: Float, _ ymax: Float) -> BoundingBox {
        BoundingBox(xmin: xmin, ymin: ymin, xmax: xmax, ymax: ymax)
    }

    /// The four encoded offsets of anchor `index`.
    static func offsets(_ targets: AnchorTargets, _ index: Int) -> [Float] {
        Array(targets.locationTargets[(index * 4)..<(index * 4 + 4)])
    }

    static func encoded(_ box: BoundingBox, _ anchor: BoundingBox) -> [Float] {
        let offsets = BoxCoder.ssd.encode(box, anchor: anchor)
        return [offsets.x, offsets.y, offsets.z, offsets.w]
    }

    @Test("a box whose best IoU is below the threshold still gets its best anchor")
    func bestAnchorBelowThreshold() {
        let anchors = [Self.box(0, 0, 0.4, 0.4), Self.box(0.1, 0, 0.5, 0.4), Self.box(0.6, 0.6, 1, 1)]
        let truth = Self.box(0, 0, 0.2, 0.2)  // IoU 0.25 with anchor 0, 0.11 with anchor 1
        let targets = TargetAssigner(anchors: anchors)([GroundTruthBox(classID: 1, box: truth)])
        #expect(targets.classTargets == [2, 0, 0])  // class id 1 → logit 2
        #expect(targets.positiveCount == 1)
        expectClose(Self.offsets(targets, 0), Self.encoded(truth, anchors[0]), atol: 1e-6, rtol: 0, "matched offsets")
        #expect(Self.offsets(targets, 1) == [0, 0, 0, 0] && Self.offsets(targets, 2) == [0, 0, 0, 0])
    }

    @Test("two boxes competing for one anchor: the higher IoU wins it, the other takes its next best")
    func competingBoxes() {
        let anchors = [Self.box(0, 0, 0.4, 0.4), Self.box(0.2, 0, 0.6, 0.4), Self.box(0.6, 0.6, 1, 1)]
        let a = GroundTruthBox(classID: 0, box: anchors[0])  // IoU 1 with anchor 0, 1/3 with anchor 1
        let b = GroundTruthBox(classID: 2, box: Self.box(0.04, 0, 0.44, 0.4))  // IoU 0.82 with anchor 0, 0.43 with anchor 1
        for order in [[a, b], [b, a]] {
            let targets = TargetAssigner(anchors: anchors)(order)
            #expect(targets.classTargets == [1, 3, 0], "order \(order.map(\.classID))")
            #expect(targets.positiveCount == 2)
            expectClose(Self.offsets(targets, 1), Self.encoded(b.box, anchors[1]), atol: 1e-6, rtol: 0, "b on anchor 1")
        }
    }

    @Test("other anchors are positive from IoU >= overlap_threshold, matched to their best box")
    func thresholdStage() {
        let truth = Self.box(0, 0, 0.5, 0.5)
        let anchors = [
            truth,  // bipartite match
            Self.box(0, 0, 0.5, 0.25),  // IoU exactly 0.5 (all values exact in binary)
            Self.box(0.25, 0, 0.75, 0.5),  // IoU 1/3
            Self.box(0.05, 0, 0.55, 0.5),  // IoU 0.82
        ]
        let other = Self.box(0.9, 0.9, 1, 1)  // overlaps no anchor at all: matches nothing
        let targets = TargetAssigner(anchors: anchors)([GroundTruthBox(classID: 0, box: truth), GroundTruthBox(classID: 1, box: other)])
        #expect(targets.classTargets == [1, 1, 0, 1])
        #expect(targets.positiveCount == 3)
        #expect(TargetAssigner(anchors: anchors, overlapThreshold: 0.51)([GroundTruthBox(classID: 0, box: truth)]).classTargets == [1, 0, 0, 1])
        expectClose(Self.offsets(targets, 3), Self.encoded(truth, anchors[3]), atol: 1e-6, rtol: 0, "threshold match offsets")
    }

    @Test("no boxes, or boxes without area: every anchor is background")
    func empty() {
        let assigner = TargetAssigner(anchors: DefaultBoxes.ssd300VGG16)
        let none = assigner([])
        #expect(none.anchorCount == 8_732 && none.positiveCount == 0 && none.classTargets.allSatisfy { $0 == 0 })
        let flat = assigner([GroundTruthBox(classID: 0, box: Self.box(0.3, 0.3, 0.3, 0.6))])
        #expect(flat.positiveCount == 0 && flat.locationTargets.allSatisfy { $0 == 0 })
    }

    @Test("on SSD300 anchors every box gets at least one positive, and each positive decodes back to its box")
    func ssd300RoundTrip() {
        let anchors = DefaultBoxes.ssd300VGG16
        let truth = [
            GroundTruthBox(classID: 0, box: Self.box(0.1, 0.15, 0.45, 0.6)),
            GroundTruthBox(classID: 0, box: Self.box(0.5, 0.5, 0.56, 0.58)),
            GroundTruthBox(classID: 1, box: Self.box(0.02, 0.7, 0.98, 0.99)),
        ]
        let targets = TargetAssigner(anchors: anchors)(truth)
        var perBox = [0, 0, 0]
        for anchor in 0..<anchors.count where targets.classTargets[anchor] > 0 {
            let offsets = Self.offsets(targets, anchor)
            let decoded = BoxCoder.ssd.decode(SIMD4(offsets[0], offsets[1], offsets[2], offsets[3]), anchor: anchors.boxes[anchor])
            let owner = truth.indices.first {
                decoded.intersectionOverUnion(truth[$0].box) > 0.999 && Int(targets.classTargets[anchor]) == truth[$0].classID + 1
            }
            #expect(owner != nil, "anchor \(anchor) decodes to \(decoded)")
            if let owner { perBox[owner] += 1 }
        }
        #expect(perBox.allSatisfy { $0 >= 1 }, "positives per box: \(perBox)")
        #expect(perBox.reduce(0, +) == targets.positiveCount)
    }

    @Test("extra positives: each box takes its best unmatched anchors above the floor, up to the count")
    func extraPositives() {
        let truth = Self.box(0.125, 0.125, 0.375, 0.375)  // smaller than every anchor (all values exact in binary)
        let anchors = [
            Self.box(0.0625, 0.0625, 0.4375, 0.4375),  // IoU 4/9: the bipartite match
            Self.box(0.125, 0.125, 0.5, 0.5),  // IoU 4/9: first extra (ties go to the lower anchor)
            Self.box(0, 0, 0.375, 0.375),  // IoU 4/9: second extra
            Self.box(0.1875, 0.125, 0.5625, 0.5),  // IoU 0.3: above the floor but beyond the count of 2
            Self.box(0.625, 0.625, 1, 1),  // IoU 0
        ]
        let ground = [GroundTruthBox(classID: 0, box: truth)]
        var assigner = TargetAssigner(anchors: anchors)
        #expect(assigner(ground).classTargets == [1, 0, 0, 0, 0])
        assigner.extraPositives = .init(count: 2, minimumIoU: 0.25)
        let targets = assigner(ground)
        #expect(targets.classTargets == [1, 1, 1, 0, 0])
        #expect(targets.positiveCount == 3)
        expectClose(Self.offsets(targets, 2), Self.encoded(truth, anchors[2]), atol: 1e-6, rtol: 0, "extra match offsets")
        assigner.extraPositives = .init(count: 5, minimumIoU: 0.4)
        #expect(assigner(ground).classTargets == [1, 1, 1, 0, 0], "the floor keeps anchor 3 out")
    }

    @Test("extra positives never take an anchor another box already matched")
    func extraPositivesKeepEarlierMatches() {
        let anchors = [Self.box(0, 0, 0.4, 0.4), Self.box(0.2, 0, 0.6, 0.4)]
        let a = GroundTruthBox(classID: 0, box: anchors[0])
        let b = GroundTruthBox(classID: 1, box: anchors[1])  // IoU 1/3 with anchor 0
        var assigner = TargetAssigner(anchors: anchors)
        assigner.extraPositives = .init(count: 3, minimumIoU: 0.1)
        #expect(assigner([a, b]).classTargets == [1, 2])
    }
}
