import ModelCore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Focal loss: every anchor, weighted by how wrong it is")
struct FocalLossTests {
    /// Two images of 10 anchors and 3 logits (2 classes); image 0 has two positives, image 1 one.
    static func batch(seed: UInt64) -> (targets: [AnchorTargets], locations: [Float], logits: [Float]) {
        var random = TestRandom(seed: seed)
        let positives: [[(Int, Int32)]] = [[(1, 1), (6, 2)], [(3, 1)]]
        let targets = positives.map { list -> AnchorTargets in
            var targets = AnchorTargets(backgroundOnly: 10)
            for (anchor, target) in list {
                targets.classTargets[anchor] = target
                for c in 0..<4 { targets.locationTargets[anchor * 4 + c] = random.uniform() }
            }
            targets.positiveCount = list.count
            return targets
        }
        return (targets, random.uniform(2 * 10 * 4).map { $0 * 0.5 }, random.uniform(2 * 10 * 3).map { $0 * 2 })
    }

    /// The classification term in Double, written from the definition: Σ −α_t (1 − p_t)^γ log p_t / N.
    static func reference(logits: [Double], targets: [AnchorTargets], focal: FocalLoss) -> Double {
        let positives = Double(max(1, targets.reduce(0) { $0 + $1.positiveCount }))
        var total = 0.0
        for (image, t) in targets.enumerated() {
            for anchor in 0..<t.anchorCount {
                let row = Array(logits[((image * t.anchorCount + anchor) * 3)..<((image * t.anchorCount + anchor) * 3 + 3)])
                let sum = row.map { exp($0) }.reduce(0, +)
                let target = Int(t.classTargets[anchor])
                let pt = exp(row[target]) / sum
                let alpha = Double(target > 0 ? focal.alpha : 1 - focal.alpha)
                total += -alpha * pow(1 - pt, Double(focal.gamma)) * log(pt)
            }
        }
        return total / positives
    }

    @Test("the value matches the definition and the logit gradient matches central differences", arguments: [Float(2), 0.5])
    func gradient(gamma: Float) {
        let focal = FocalLoss(gamma: gamma, alpha: 0.25)
        let (targets, locations, logits) = Self.batch(seed: 5)
        let output = MultiBoxLoss(focal: focal)(locations: locations, classLogits: logits, targets: targets)
        let doubles = logits.map(Double.init)
        #expect(abs(output.crossEntropy - Self.reference(logits: doubles, targets: targets, focal: focal)) < 1e-5)
        let h = 1e-4
        for index in logits.indices {
            var plus = doubles
            var minus = doubles
            plus[index] += h
            minus[index] -= h
            let numeric = (Self.reference(logits: plus, targets: targets, focal: focal) - Self.reference(logits: minus, targets: targets, focal: focal)) / (2 * h)
            #expect(abs(Double(output.classLogitGradient[index]) - numeric) < 1e-4 + 1e-3 * abs(numeric), "logit \(index)")
        }
    }

    @Test("γ = 0 and α = ½ is half the cross-entropy over every anchor")
    func crossEntropyLimit() {
        let (targets, locations, logits) = Self.batch(seed: 9)
        let output = MultiBoxLoss(focal: FocalLoss(gamma: 0, alpha: 0.5))(locations: locations, classLogits: logits, targets: targets)
        var total = 0.0
        for (image, t) in targets.enumerated() {
            for anchor in 0..<t.anchorCount {
                let base = (image * t.anchorCount + anchor) * 3
                let row = (0..<3).map { Double(logits[base + $0]) }
                total += log(row.map { exp($0) }.reduce(0, +)) - row[Int(t.classTargets[anchor])]
            }
        }
        #expect(abs(output.crossEntropy - 0.5 * total / 3) < 1e-5)
    }

    @Test("the localisation term is the same smooth L1 as with mining")
    func localisation() {
        let (targets, locations, logits) = Self.batch(seed: 13)
        let focal = MultiBoxLoss(focal: FocalLoss())(locations: locations, classLogits: logits, targets: targets)
        let mined = MultiBoxLoss()(locations: locations, classLogits: logits, targets: targets)
        #expect(focal.smoothL1 == mined.smoothL1)
        #expect(focal.locationGradient == mined.locationGradient)
    }

    @Test("the background prior bias starts each object class at the prior")
    func prior() {
        for classes in [1, 3] {
            let bias = FocalLoss.backgroundPriorBias(classes: classes, prior: 0.01)
            let objectProbability = 1 / (exp(bias) + Float(classes))
            #expect(abs(objectProbability - 0.01) < 1e-6)
        }
    }
}
