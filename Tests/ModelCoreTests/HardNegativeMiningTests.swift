import Testing

@testable import ModelCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("SSD hard negative mining and loss behaviour on SSD300 anchors")
struct HardNegativeMiningTests {
    static let anchors = DefaultBoxes.ssd300VGG16
    static let assigner = TargetAssigner(anchors: anchors)

    static func box(_ xmin: Float, _ ymin: Float, _ xmax: Float, _ ymax: Float) -> BoundingBox {
        BoundingBox(xmin: xmin, ymin: ymin, xmax: xmax, ymax: ymax)
    }

    /// Random ground truth: `count` boxes of 1 or 2 classes, 0.05…0.6 of the image side.
    static func randomTruth(_ random: inout TestRandom, count: Int) -> [GroundTruthBox] {
        (0..<count).map { i in
            let width = 0.05 + 0.275 * (random.uniform() + 1)
            let height = 0.05 + 0.275 * (random.uniform() + 1)
            let x = (1 - width) * (random.uniform() + 1) / 2
            let y = (1 - height) * (random.uniform() + 1) / 2
            return GroundTruthBox(classID: i % 2, box: BoundingBox(x: x, y: y, width: width, height: height))
        }
    }

    /// Which anchors of `image` carry a class-logit gradient, i.e. take part in the cross-entropy.
    static func selected(_ output: MultiBoxLoss.Output, image: Int, width: Int) -> [Int] {
        let count = anchors.count
        return (0..<count).filter { anchor in
            let row = (image * count + anchor) * width
            return output.classLogitGradient[row..<(row + width)].contains { $0 != 0 }
        }
    }

    @Test("negatives = 3 × positives per image, and they are the highest background losses")
    func threeToOne() {
        var random = TestRandom(seed: 3)
        let truth = (1...3).map { Self.randomTruth(&random, count: $0) }
        let targets = truth.map { Self.assigner($0) }
        let width = 3
        let logits = random.uniform(truth.count * Self.anchors.count * width)
        let locations = random.uniform(truth.count * Self.anchors.count * 4)
        let output = MultiBoxLoss()(locations: locations, classLogits: logits, targets: targets)
        #expect(output.negativeCount == 3 * output.positiveCount)
        for (image, target) in targets.enumerated() {
            let selected = Self.selected(output, image: image, width: width)
            let negatives = selected.filter { target.classTargets[$0] == 0 }
            #expect(target.positiveCount > 0 && selected.count - negatives.count == target.positiveCount)
            #expect(negatives.count == 3 * target.positiveCount, "image \(image)")
            func backgroundLoss(_ anchor: Int) -> Float {
                let row = (image * Self.anchors.count + anchor) * width
                let largest = logits[row..<(row + width)].max()!
                return log(logits[row..<(row + width)].reduce(0) { $0 + exp($1 - largest) }) + largest - logits[row]
            }
            let chosen = Set(negatives)
            let weakestChosen = negatives.map(backgroundLoss).min()!
            let strongestLeft = (0..<Self.anchors.count).filter { target.classTargets[$0] == 0 && !chosen.contains($0) }.map(backgroundLoss).max()!
            #expect(weakestChosen >= strongestLeft)
        }
        // Only positives get location gradients.
        let located = (0..<(truth.count * Self.anchors.count)).filter { a in output.locationGradient[(a * 4)..<(a * 4 + 4)].contains { $0 != 0 } }
        #expect(located.count <= output.positiveCount)
    }

    @Test("images without objects keep the 3 hardest negatives; with a minimum of 0 they add nothing (MXNet)")
    func emptyImages() {
        var random = TestRandom(seed: 4)
        let targets = [Self.assigner([]), Self.assigner(Self.randomTruth(&random, count: 1))]
        let logits = random.uniform(2 * Self.anchors.count * 2)
        let locations = random.uniform(2 * Self.anchors.count * 4)
        let output = MultiBoxLoss()(locations: locations, classLogits: logits, targets: targets)
        #expect(Self.selected(output, image: 0, width: 2).count == 3)
        #expect(output.negativeCount == 3 + 3 * targets[1].positiveCount)

        let mxnet = MultiBoxLoss(mining: HardNegativeMining(minimumNegativesPerImage: 0))
        let onlyEmpty = mxnet(
            locations: Array(locations.prefix(Self.anchors.count * 4)),
            classLogits: Array(logits.prefix(Self.anchors.count * 2)),
            targets: [targets[0]]
        )
        #expect(onlyEmpty.total == 0 && onlyEmpty.negativeCount == 0 && onlyEmpty.normalizer == 1)
        #expect(onlyEmpty.classLogitGradient.allSatisfy { $0 == 0 })
        let defaultEmpty = MultiBoxLoss()(
            locations: Array(locations.prefix(Self.anchors.count * 4)),
            classLogits: Array(logits.prefix(Self.anchors.count * 2)),
            targets: [targets[0]]
        )
        #expect(defaultEmpty.negativeCount == 3 && defaultEmpty.crossEntropy > 0 && defaultEmpty.smoothL1 == 0)
    }

    @Test("a perfect prediction has near-zero loss and gradient")
    func perfectPrediction() {
        var random = TestRandom(seed: 5)
        let targets = (1...4).map { Self.assigner(Self.randomTruth(&random, count: $0)) }
        let width = 3
        var logits = [Float](repeating: 0, count: targets.count * Self.anchors.count * width)
        var locations: [Float] = []
        for (image, target) in targets.enumerated() {
            locations += target.locationTargets
            for anchor in 0..<Self.anchors.count {
                logits[(image * Self.anchors.count + anchor) * width + Int(target.classTargets[anchor])] = 20
            }
        }
        let output = MultiBoxLoss()(locations: locations, classLogits: logits, targets: targets)
        #expect(output.positiveCount > 0 && output.negativeCount == 3 * output.positiveCount)
        #expect(output.smoothL1 == 0)
        #expect(output.crossEntropy < 1e-6)
        #expect(output.classLogitGradient.allSatisfy { abs($0) < 1e-6 } && output.locationGradient.allSatisfy { $0 == 0 })
    }

    @Test("selection keeps exactly k values with ties broken by position, like a stable descending sort")
    func selectionMatchesSort() {
        var random = TestRandom(seed: 6)
        for trial in 0..<300 {
            let count = 1 + Int(random.next() % 300)
            // Coarse values so ties are common; a NaN ranks as the hardest.
            var losses = (0..<count).map { _ in Float(Int(random.next() % 16)) / 4 }
            if trial % 10 == 0 { losses[Int(random.next() % UInt64(count))] = .nan }
            let ranked = losses.map(HardNegativeMining.rankable)
            let keep = Int(random.next() % UInt64(count + 2))
            let expected = ranked.indices.sorted { ranked[$0] != ranked[$1] ? ranked[$0] > ranked[$1] : $0 < $1 }.prefix(keep).sorted()
            var scratch = ranked
            var cutoff = scratch.withUnsafeMutableBufferPointer { HardNegativeMining.cutoff(keeping: keep, of: $0) }
            let kept = ranked.indices.filter { cutoff.admits(ranked[$0]) }
            #expect(kept == expected, "trial \(trial): \(count) values, keep \(keep)")
        }
    }

    @Test("negative count rule: ⌊3·positives⌋, at least the minimum, at most the candidates")
    func countRule() {
        let mining = HardNegativeMining()
        #expect(mining.negativeCount(positives: 5, candidates: 100) == 15)
        #expect(mining.negativeCount(positives: 0, candidates: 100) == 3)
        #expect(mining.negativeCount(positives: 0, candidates: 2) == 2)
        #expect(mining.negativeCount(positives: 40, candidates: 100) == 100)
        #expect(HardNegativeMining(negativesPerPositive: 2.5, minimumNegativesPerImage: 0).negativeCount(positives: 3, candidates: 100) == 7)
    }
}
