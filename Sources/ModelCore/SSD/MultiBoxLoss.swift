#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// SSD's MultiBox loss over a batch, with its gradients: softmax cross-entropy on positive and hard-negative
/// anchors plus smooth L1 on positive anchors' offsets.
///
/// ## Inputs (the network side's layout)
/// - `locations`: `[B, P, 4]` row-major, `(dx, dy, dw, dh)` per anchor, encoded as `BoxCoder` encodes;
/// - `classLogits`: `[B, P, C+1]` row-major, logit 0 is background, logit `k + 1` is class `k`;
/// - one `AnchorTargets` per image (from `TargetAssigner`), in the same anchor order as `DefaultBoxes`.
///
/// ## Definition
/// With `N = max(1, Σ_images positives)` over the whole batch:
/// ```
/// crossEntropy = (1/N) · Σ_{positive and mined negative anchors} −log softmax(logits)[target]
/// smoothL1     = (1/N) · Σ_{positive anchors} Σ_{4 offsets} smoothL1(location − locationTarget)
/// smoothL1(x)  = 0.5·x²  if |x| < 1,  |x| − 0.5  otherwise          (σ = 1)
/// loss         = crossEntropy + smoothL1                           (α = 1)
/// ```
/// Negatives are mined per image by `HardNegativeMining` from the current logits; the selection is held fixed
/// when differentiating (it is piecewise constant in the inputs). These are the two values to log as
/// `train:cross_entropy` and `train:smooth_l1`.
///
/// Normalising both by the positive count follows the SSD paper (`L = (L_conf + α·L_loc) / N`) and Caffe/GluonCV:
/// each positive anchor weighs the same whatever the batch holds, and the `max(1, ·)` keeps a batch without
/// positives finite. MXNet's SSD example trained with per-part "valid" normalisation instead and logged both
/// parts divided by the positive + negative count; `positiveCount` and `negativeCount` are returned so a caller
/// can report those numbers too (`value · normalizer / (positiveCount + negativeCount)`).
public struct MultiBoxLoss: Sendable {
    /// The negative mining rule.
    public var mining: HardNegativeMining
    /// When set, the classification term is this focal loss over every anchor instead of cross-entropy over
    /// positives and mined negatives (`mining` is then unused).
    public var focal: FocalLoss?

    /// Creates the loss; the default mining is 3:1 with at least 3 negatives per image.
    public init(mining: HardNegativeMining = HardNegativeMining()) {
        self.mining = mining
        focal = nil
    }

    /// Creates the loss with a focal classification term over every anchor.
    public init(focal: FocalLoss) {
        mining = HardNegativeMining()
        self.focal = focal
    }

    /// The loss of one batch and its gradients.
    public struct Output: Sendable {
        /// Classification loss, normalised by `normalizer`.
        public var crossEntropy: Double
        /// Localisation loss, normalised by `normalizer`.
        public var smoothL1: Double
        /// `∂loss/∂locations`, `[B, P, 4]`; zero except on positive anchors.
        public var locationGradient: [Float]
        /// `∂loss/∂classLogits`, `[B, P, C+1]`; zero except on positive and mined negative anchors.
        public var classLogitGradient: [Float]
        /// Positive anchors in the batch.
        public var positiveCount: Int
        /// Mined negative anchors in the batch.
        public var negativeCount: Int
        /// `N = max(1, positives)` over the whole (global) batch.
        public var normalizer: Float

        /// The optimised loss, `crossEntropy + smoothL1`.
        public var total: Double { crossEntropy + smoothL1 }
    }

    /// The loss of a batch whose targets are already assigned.
    /// - Parameters:
    ///   - locations: `[B, P, 4]` predicted offsets.
    ///   - classLogits: `[B, P, C+1]` class logits, `C + 1 >= 2`.
    ///   - targets: `B` images' targets, each over the same `P` anchors.
    ///   - globalPositives: the positive anchors of the whole global batch when `targets` are one rank's part of a
    ///     data-parallel batch (`DataParallelTraining`), so that the ranks' losses and gradients sum to the global
    ///     batch's; `nil`: `targets` are the whole batch.
    public func callAsFunction(locations: [Float], classLogits: [Float], targets: [AnchorTargets], globalPositives: Int? = nil) -> Output {
        let batch = targets.count
        precondition(batch > 0, "empty batch")
        let anchorCount = targets[0].anchorCount
        precondition(targets.allSatisfy { $0.anchorCount == anchorCount }, "every image must have the same anchors")
        precondition(locations.count == batch * anchorCount * 4, "locations: expected [\(batch), \(anchorCount), 4], got \(locations.count) values")
        let width = anchorCount > 0 ? classLogits.count / (batch * anchorCount) : 2
        precondition(width >= 2 && classLogits.count == batch * anchorCount * width, "classLogits: expected [\(batch), \(anchorCount), C+1 >= 2]")

        let positives = targets.reduce(0) { $0 + $1.positiveCount }
        let normalizer = Float(max(1, globalPositives ?? positives))
        var output = Output(
            crossEntropy: 0,
            smoothL1: 0,
            locationGradient: [Float](repeating: 0, count: locations.count),
            classLogitGradient: [Float](repeating: 0, count: classLogits.count),
            positiveCount: positives,
            negativeCount: 0,
            normalizer: normalizer
        )
        var keys = [Float](repeating: 0, count: anchorCount)
        var scratch = [Float](repeating: 0, count: anchorCount)
        var sums = Sums()
        locations.withUnsafeBufferPointer { locations in
            classLogits.withUnsafeBufferPointer { logits in
                output.locationGradient.withUnsafeMutableBufferPointer { locationGradient in
                    output.classLogitGradient.withUnsafeMutableBufferPointer { logitGradient in
                        keys.withUnsafeMutableBufferPointer { keys in
                            scratch.withUnsafeMutableBufferPointer { scratch in
                                for image in 0..<batch {
                                    let rows = image * anchorCount
                                    accumulate(
                                        Image(
                                            targets: targets[image],
                                            locations: UnsafeBufferPointer(rebasing: locations[(rows * 4)..<((rows + anchorCount) * 4)]),
                                            logits: UnsafeBufferPointer(rebasing: logits[(rows * width)..<((rows + anchorCount) * width)]),
                                            width: width,
                                            scale: 1 / normalizer
                                        ),
                                        locationGradient: UnsafeMutableBufferPointer(
                                            rebasing: locationGradient[(rows * 4)..<((rows + anchorCount) * 4)]
                                        ),
                                        logitGradient: UnsafeMutableBufferPointer(
                                            rebasing: logitGradient[(rows * width)..<((rows + anchorCount) * width)]
                                        ),
                                        keys: keys,
                                        scratch: scratch,
                                        sums: &sums
                                    )
                                }
                            }
                        }
                    }
                }
            }
        }
        output.crossEntropy = sums.crossEntropy / Double(normalizer)
        output.smoothL1 = sums.smoothL1 / Double(normalizer)
        output.negativeCount = sums.negatives
        return output
    }

    /// The loss of a batch, assigning each image's `groundTruth` (normalised boxes) to anchors first.
    public func callAsFunction(
        locations: [Float],
        classLogits: [Float],
        groundTruth: [[GroundTruthBox]],
        assigner: TargetAssigner
    ) -> Output {
        callAsFunction(locations: locations, classLogits: classLogits, targets: groundTruth.map { assigner($0) })
    }

    /// One image's slice of the inputs.
    private struct Image {
        var targets: AnchorTargets
        var locations: UnsafeBufferPointer<Float>
        var logits: UnsafeBufferPointer<Float>
        var width: Int
        var scale: Float
    }

    /// Unnormalised loss sums, in Double so 10⁵ anchor terms add without drift.
    private struct Sums {
        var crossEntropy: Double = 0
        var smoothL1: Double = 0
        var negatives = 0
    }

    /// Adds one image's loss terms to `sums` and writes its gradient rows. No allocation.
    private func accumulate(
        _ image: Image,
        locationGradient: UnsafeMutableBufferPointer<Float>,
        logitGradient: UnsafeMutableBufferPointer<Float>,
        keys: UnsafeMutableBufferPointer<Float>,
        scratch: UnsafeMutableBufferPointer<Float>,
        sums: inout Sums
    ) {
        let width = image.width
        let logits = image.logits
        if let focal {
            image.targets.classTargets.withUnsafeBufferPointer { classTargets in
                image.targets.locationTargets.withUnsafeBufferPointer { locationTargets in
                    for anchor in 0..<classTargets.count {
                        let target = Int(classTargets[anchor])
                        precondition(target >= 0 && target < width, "class target \(target) outside the \(width) logits")
                        let value = focal.term(logits: logits, row: anchor * width, width: width, target: target, scale: image.scale, gradient: logitGradient)
                        sums.crossEntropy += Double(value)
                        if target > 0 {
                            addLocationTerms(anchor, image, locationTargets, locationGradient, &sums)
                        }
                    }
                }
            }
            return
        }
        image.targets.classTargets.withUnsafeBufferPointer { classTargets in
            image.targets.locationTargets.withUnsafeBufferPointer { locationTargets in
                // Pass 1: rank the negative candidates. −p_bg orders them exactly as the background loss −log p_bg
                // does (MXNet ranks by the probability too), without a log per anchor.
                var candidates = 0
                for anchor in 0..<classTargets.count where classTargets[anchor] == 0 {
                    let row = anchor * width
                    let probability: Float
                    if width == 2 {
                        probability = 1 / (1 + exp(logits[row + 1] - logits[row]))  // one exp instead of two
                    } else {
                        var largest = logits[row]
                        for c in 1..<width { largest = max(largest, logits[row + c]) }
                        let background = exp(logits[row] - largest)
                        var sum = background
                        for c in 1..<width { sum += exp(logits[row + c] - largest) }
                        probability = background / sum
                    }
                    let key = HardNegativeMining.rankable(-probability)
                    keys[anchor] = key
                    scratch[candidates] = key
                    candidates += 1
                }
                let keep = mining.negativeCount(positives: image.targets.positiveCount, candidates: candidates)
                var cutoff = HardNegativeMining.cutoff(keeping: keep, of: UnsafeMutableBufferPointer(rebasing: scratch[0..<candidates]))

                // Pass 2: loss terms and gradients of the positives and the kept negatives.
                let scale = image.scale
                for anchor in 0..<classTargets.count {
                    let target = Int(classTargets[anchor])
                    precondition(target >= 0 && target < width, "class target \(target) outside the \(width) logits")
                    if target == 0 {
                        guard cutoff.admits(keys[anchor]) else { continue }
                        sums.negatives += 1
                    }
                    let row = anchor * width
                    let value = Self.logSumExp(logits, row: row, width: width)
                    sums.crossEntropy += Double(value - logits[row + target])
                    for c in 0..<width { logitGradient[row + c] = exp(logits[row + c] - value) * scale }
                    logitGradient[row + target] -= scale
                    guard target > 0 else { continue }
                    addLocationTerms(anchor, image, locationTargets, locationGradient, &sums)
                }
            }
        }
    }

    /// `log Σ_c exp(z_c)` over one anchor's `width` logits starting at `row`, shifted by the largest for stability.
    @inline(__always)
    static func logSumExp(_ logits: UnsafeBufferPointer<Float>, row: Int, width: Int) -> Float {
        var largest = logits[row]
        for c in 1..<width { largest = max(largest, logits[row + c]) }
        var sum: Float = 0
        for c in 0..<width { sum += exp(logits[row + c] - largest) }
        return largest + log(sum)
    }

    /// A positive anchor's smooth L1 terms and their gradients.
    @inline(__always)
    private func addLocationTerms(
        _ anchor: Int,
        _ image: Image,
        _ locationTargets: UnsafeBufferPointer<Float>,
        _ locationGradient: UnsafeMutableBufferPointer<Float>,
        _ sums: inout Sums
    ) {
        for c in (anchor * 4)..<(anchor * 4 + 4) {
            let difference = image.locations[c] - locationTargets[c]
            let magnitude = abs(difference)
            sums.smoothL1 += Double(magnitude < 1 ? 0.5 * difference * difference : magnitude - 0.5)
            locationGradient[c] = min(max(difference, -1), 1) * image.scale
        }
    }
}
