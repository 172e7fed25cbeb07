import ModelCore
import Testing

@Suite("Per-class greedy non-maximum suppression")
struct NonMaximumSuppressionTests {
    static func detection(_ classID: Int, _ score: Float, _ xmin: Float, _ ymin: Float, _ xmax: Float, _ ymax: Float) -> Detection {
        Detection(classID: classID, score: score, box: BoundingBox(xmin: xmin, ymin: ymin, xmax: xmax, ymax: ymax))
    }

    @Test("overlapping boxes: the best survives, suppressed boxes suppress nothing, output by score")
    func handMade() {
        let candidates = [
            Self.detection(0, 0.6, 5, 0, 15, 10),  // 0: IoU 1/3 with #1 → kept
            Self.detection(0, 0.9, 0, 0, 10, 10),  // 1: best of class 0 → kept
            Self.detection(0, 0.8, 1, 0, 11, 10),  // 2: IoU 0.818 with #1 → suppressed
            Self.detection(0, 0.7, 20, 20, 30, 30),  // 3: disjoint → kept
            Self.detection(1, 0.85, 0, 0, 10, 10),  // 4: same box as #1, other class → kept
        ]
        let nms = NonMaximumSuppression(iouThreshold: 0.45, topK: 400, scoreThreshold: 0)
        #expect(nms.keptIndices(candidates) == [1, 4, 3, 0])
        #expect(nms(candidates) == [candidates[1], candidates[4], candidates[3], candidates[0]])
    }

    @Test("suppression applies at IoU >= threshold")
    func thresholdInclusive() {
        let candidates = [Self.detection(0, 0.9, 0, 0, 10, 10), Self.detection(0, 0.8, 0, 0, 10, 5)]  // IoU exactly 0.5
        #expect(NonMaximumSuppression(iouThreshold: 0.5, scoreThreshold: 0).keptIndices(candidates) == [0])
        #expect(NonMaximumSuppression(iouThreshold: 0.51, scoreThreshold: 0).keptIndices(candidates) == [0, 1])
    }

    @Test("classes never suppress each other")
    func perClassIndependence() {
        let candidates = (0..<3).map { Self.detection($0, 0.5 + Float($0) / 10, 0, 0, 10, 10) }
        #expect(NonMaximumSuppression(scoreThreshold: 0).keptIndices(candidates) == [2, 1, 0])
    }

    @Test("top-k caps the ranking before suppression")
    func topK() {
        let disjoint = (0..<10).map { Self.detection(0, Float($0 + 1) / 20, Float($0) * 20, 0, Float($0) * 20 + 10, 10) }
        #expect(NonMaximumSuppression(topK: 3, scoreThreshold: 0).keptIndices(disjoint) == [9, 8, 7])
        #expect(NonMaximumSuppression(topK: 0, scoreThreshold: 0).keptIndices(disjoint).count == 10)
        // MXNet semantics: a box ranked below k is dropped even when suppression would have left room for it.
        let crowded = [Self.detection(0, 0.9, 0, 0, 10, 10), Self.detection(0, 0.8, 0, 0, 10, 9), Self.detection(0, 0.7, 50, 50, 60, 60)]
        #expect(NonMaximumSuppression(topK: 2, scoreThreshold: 0).keptIndices(crowded) == [0])
    }

    @Test("score ties rank by input index, so the result is deterministic")
    func ties() {
        let candidates = [
            Self.detection(0, 0.5, 50, 50, 60, 60),
            Self.detection(0, 0.7, 0, 0, 10, 10),
            Self.detection(0, 0.7, 0, 0, 10, 10),
            Self.detection(0, 0.5, 100, 100, 110, 110),
        ]
        #expect(NonMaximumSuppression(scoreThreshold: 0).keptIndices(candidates) == [1, 0, 3])
    }

    @Test("scores below the threshold are dropped; defaults are SageMaker's")
    func scoreThreshold() {
        let candidates = [
            Self.detection(0, 0.005, 0, 0, 10, 10), Self.detection(0, 0.01, 20, 20, 30, 30),
            .init(classID: 0, score: .nan, box: BoundingBox(xmin: 40, ymin: 40, xmax: 50, ymax: 50)),
        ]
        #expect(NonMaximumSuppression().keptIndices(candidates) == [1])
        #expect(NonMaximumSuppression().iouThreshold == 0.45 && NonMaximumSuppression().topK == 400)
        #expect(NonMaximumSuppression().keptIndices([]) == [])
    }

    /// 8,000 SSD-like candidates (the anchor count of a 300×300 input), checked against a plain quadratic
    /// reference that walks the whole ranking.
    @Test("matches a brute-force reference on 8,000 random candidates", arguments: [(400, Float(0.45)), (0, Float(0.5)), (50, Float(0.3))])
    func matchesReference(topK: Int, iouThreshold: Float) {
        var rng = TestRandom(seed: UInt64(topK) + 17)
        let candidates = (0..<8000).map { _ in
            let cx = rng.uniform() * 0.5 + 0.5
            let cy = rng.uniform() * 0.5 + 0.5
            let box = BoundingBox(centerX: cx, centerY: cy, width: rng.uniform() * 0.1 + 0.15, height: rng.uniform() * 0.1 + 0.15)
            // Scores on a coarse grid, so ties are common.
            return Detection(classID: Int(rng.next() % 3), score: Float(rng.next() % 64) / 64, box: box)
        }
        let nms = NonMaximumSuppression(iouThreshold: iouThreshold, topK: topK)
        let kept = nms.keptIndices(candidates)
        #expect(kept == Self.reference(candidates, nms))
        #expect(topK <= 0 || kept.count <= topK)
        #expect(zip(kept, kept.dropFirst()).allSatisfy { candidates[$0].score >= candidates[$1].score })
    }

    static func reference(_ candidates: [Detection], _ nms: NonMaximumSuppression) -> [Int] {
        var ranked = candidates.indices.filter { candidates[$0].score >= nms.scoreThreshold }
        ranked.sort { (candidates[$0].score, -$0) > (candidates[$1].score, -$1) }
        if nms.topK > 0 { ranked = Array(ranked.prefix(nms.topK)) }
        var kept: [Int] = []
        for index in ranked
        where !kept.contains(where: {
            candidates[$0].classID == candidates[index].classID
                && candidates[$0].box.intersectionOverUnion(candidates[index].box) >= nms.iouThreshold
        }) {
            kept.append(index)
        }
        return kept
    }
}
