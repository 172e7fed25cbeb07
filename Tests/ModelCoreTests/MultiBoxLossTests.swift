import ModelCore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("SSD MultiBox loss")
struct MultiBoxLossTests {
    /// A tiny batch, `K = 3` logits (2 classes), three images of 12 anchors: image 0 has 2 positives (6 of 10
    /// candidates mined), image 1 none (the 3-negative minimum applies), image 2 one (3 of 11 mined).
    ///
    /// The mining selection is piecewise constant, so finite differences are only valid where a perturbation
    /// cannot reorder the candidates across the cutoff. Candidate background logits are spaced 0.6 apart in a
    /// shuffled order and the other logits stay within ±0.25, so neighbouring background losses differ by
    /// ≥ 0.1 — far above the largest perturbation's effect (0.01) — and `gapAtCutoff` checks it. Likewise every
    /// positive's `location − target` stays ≥ 0.1 away from smooth L1's kink at ±1.
    struct TinyCase {
        static let width = 3
        static let anchorCount = 12
        var targets: [AnchorTargets]
        var locations: [Float]
        var logits: [Float]

        init(seed: UInt64) {
            var random = TestRandom(seed: seed)
            let positives: [[(anchor: Int, target: Int32)]] = [[(2, 1), (7, 2)], [], [(5, 2)]]
            targets = positives.map { list in
                var targets = AnchorTargets(backgroundOnly: Self.anchorCount)
                for (anchor, target) in list {
                    targets.classTargets[anchor] = target
                    for c in 0..<4 { targets.locationTargets[anchor * 4 + c] = random.uniform() }
                }
                targets.positiveCount = list.count
                return targets
            }
            locations = []
            logits = []
            for image in targets {
                var order = Array(0..<Self.anchorCount)
                for i in order.indices.reversed() { order.swapAt(i, Int(random.next() % UInt64(i + 1))) }
                for anchor in 0..<Self.anchorCount {
                    for c in 0..<4 {
                        var difference = 2 * random.uniform()
                        if abs(abs(difference) - 1) < 0.1 { difference += 0.3 }
                        locations.append(image.locationTargets[anchor * 4 + c] + (image.classTargets[anchor] > 0 ? difference : random.uniform()))
                    }
                    let background: Float = image.classTargets[anchor] == 0 ? 1.5 - 0.6 * Float(order[anchor]) : random.uniform()
                    logits.append(contentsOf: [background, 0.25 * random.uniform(), 0.25 * random.uniform()])
                }
            }
        }
    }

    @Test("ranks normalised by the global batch's positives: their gradients and losses add up to the whole batch's")
    func globalNormaliser() {
        let tiny = TinyCase(seed: 22)
        let loss = MultiBoxLoss()
        let whole = loss(locations: tiny.locations, classLogits: tiny.logits, targets: tiny.targets)
        // Rank 0 holds image 0, rank 1 images 1 and 2 (each anchor's 4 offsets and 3 logits are contiguous).
        let split = 1
        let anchors = TinyCase.anchorCount
        let parts = [0..<split, split..<tiny.targets.count].map { images in
            loss(
                locations: Array(tiny.locations[(images.lowerBound * anchors * 4)..<(images.upperBound * anchors * 4)]),
                classLogits: Array(tiny.logits[(images.lowerBound * anchors * TinyCase.width)..<(images.upperBound * anchors * TinyCase.width)]),
                targets: Array(tiny.targets[images]),
                globalPositives: whole.positiveCount
            )
        }
        #expect(parts[0].normalizer == whole.normalizer && parts[1].normalizer == whole.normalizer)
        #expect(parts[0].locationGradient + parts[1].locationGradient == whole.locationGradient)
        #expect(parts[0].classLogitGradient + parts[1].classLogitGradient == whole.classLogitGradient)
        #expect(abs(parts[0].total + parts[1].total - whole.total) <= 1e-12 * whole.total)
        // Without the global count each part would weigh its own positives: not the whole batch's gradient.
        let alone = loss(
            locations: Array(tiny.locations[0..<(anchors * 4)]),
            classLogits: Array(tiny.logits[0..<(anchors * TinyCase.width)]),
            targets: [tiny.targets[0]]
        )
        #expect(alone.locationGradient != parts[0].locationGradient)
    }

    /// The loss in Double, written independently: per-anchor cross-entropy, a full stable sort for mining.
    static func referenceLoss(locations: [Double], logits: [Double], targets: [AnchorTargets], mining: HardNegativeMining) -> (Double, Double) {
        let anchorCount = targets[0].anchorCount
        let width = logits.count / (targets.count * anchorCount)
        var crossEntropy = 0.0
        var smoothL1 = 0.0
        for (image, target) in targets.enumerated() {
            func loss(_ anchor: Int, _ c: Int) -> Double {
                let row = Array(logits[((image * anchorCount + anchor) * width)..<((image * anchorCount + anchor + 1) * width)])
                let largest = row.max()!
                return largest + log(row.reduce(0) { $0 + exp($1 - largest) }) - row[c]
            }
            var candidates: [(loss: Double, anchor: Int)] = []
            for anchor in 0..<anchorCount {
                let t = Int(target.classTargets[anchor])
                if t == 0 {
                    candidates.append((loss(anchor, 0), anchor))
                    continue
                }
                crossEntropy += loss(anchor, t)
                for c in 0..<4 {
                    let d = locations[(image * anchorCount + anchor) * 4 + c] - Double(target.locationTargets[anchor * 4 + c])
                    smoothL1 += abs(d) < 1 ? 0.5 * d * d : abs(d) - 0.5
                }
            }
            candidates.sort { $0.loss != $1.loss ? $0.loss > $1.loss : $0.anchor < $1.anchor }
            let keep = mining.negativeCount(positives: target.positiveCount, candidates: candidates.count)
            for candidate in candidates.prefix(keep) { crossEntropy += candidate.loss }
        }
        let normalizer = Double(max(1, targets.reduce(0) { $0 + $1.positiveCount }))
        return (crossEntropy / normalizer, smoothL1 / normalizer)
    }

    /// The smallest gap between the last kept and the first dropped candidate background loss, over images.
    static func gapAtCutoff(_ tiny: TinyCase, mining: HardNegativeMining) -> Double {
        var gap = Double.infinity
        for (image, target) in tiny.targets.enumerated() {
            var losses: [Double] = []
            for anchor in 0..<TinyCase.anchorCount where target.classTargets[anchor] == 0 {
                let row = (0..<TinyCase.width).map { Double(tiny.logits[(image * TinyCase.anchorCount + anchor) * TinyCase.width + $0]) }
                losses.append(log(row.reduce(0) { $0 + exp($1) }) - row[0])
            }
            losses.sort(by: >)
            let keep = mining.negativeCount(positives: target.positiveCount, candidates: losses.count)
            if keep > 0, keep < losses.count { gap = min(gap, losses[keep - 1] - losses[keep]) }
        }
        return gap
    }

    @Test("values match a Double reference; gradients match its central finite differences")
    func gradientsVsReference() throws {
        let tiny = TinyCase(seed: 11)
        let mining = HardNegativeMining()
        try #require(Self.gapAtCutoff(tiny, mining: mining) > 0.05)
        let output = MultiBoxLoss(mining: mining)(locations: tiny.locations, classLogits: tiny.logits, targets: tiny.targets)
        #expect(output.positiveCount == 3 && output.negativeCount == 6 + 3 + 3 && output.normalizer == 3)

        let locations = tiny.locations.map(Double.init)
        let logits = tiny.logits.map(Double.init)
        let (crossEntropy, smoothL1) = Self.referenceLoss(locations: locations, logits: logits, targets: tiny.targets, mining: mining)
        #expect(abs(output.crossEntropy - crossEntropy) <= 1e-5 * crossEntropy)
        #expect(abs(output.smoothL1 - smoothL1) <= 1e-5 * smoothL1)

        let h = 1e-6
        func total(_ locations: [Double], _ logits: [Double]) -> Double {
            let (ce, l1) = Self.referenceLoss(locations: locations, logits: logits, targets: tiny.targets, mining: mining)
            return ce + l1
        }
        let locationDifferences = locations.indices.map { i in
            var plus = locations
            var minus = locations
            plus[i] += h
            minus[i] -= h
            return Float((total(plus, logits) - total(minus, logits)) / (2 * h))
        }
        let logitDifferences = logits.indices.map { i in
            var plus = logits
            var minus = logits
            plus[i] += h
            minus[i] -= h
            return Float((total(locations, plus) - total(locations, minus)) / (2 * h))
        }
        expectClose(output.locationGradient, locationDifferences, atol: 1e-5, rtol: 1e-4, "∂loss/∂locations")
        expectClose(output.classLogitGradient, logitDifferences, atol: 1e-5, rtol: 1e-4, "∂loss/∂classLogits")
    }

    @Test("gradients match central finite differences of the Float implementation itself")
    func gradientsVsOwnDifferences() throws {
        let tiny = TinyCase(seed: 12)
        let loss = MultiBoxLoss()
        try #require(Self.gapAtCutoff(tiny, mining: loss.mining) > 0.05)
        let output = loss(locations: tiny.locations, classLogits: tiny.logits, targets: tiny.targets)
        let h: Float = 1e-2
        func difference(_ values: [Float], _ i: Int, _ evaluate: ([Float]) -> Double) -> Float {
            var plus = values
            var minus = values
            plus[i] += h
            minus[i] -= h
            return Float((evaluate(plus) - evaluate(minus)) / Double(plus[i] - minus[i]))
        }
        let locationDifferences = tiny.locations.indices.map { i in
            difference(tiny.locations, i) { loss(locations: $0, classLogits: tiny.logits, targets: tiny.targets).total }
        }
        let logitDifferences = tiny.logits.indices.map { i in
            difference(tiny.logits, i) { loss(locations: tiny.locations, classLogits: $0, targets: tiny.targets).total }
        }
        expectClose(output.locationGradient, locationDifferences, atol: 5e-4, rtol: 1e-2, "∂loss/∂locations")
        expectClose(output.classLogitGradient, logitDifferences, atol: 5e-4, rtol: 1e-2, "∂loss/∂classLogits")
    }
}
