#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The focal loss (Lin et al., "Focal Loss for Dense Object Detection") over SSD's softmax logits: an
/// alternative to hard negative mining in which *every* anchor takes part, each weighted by how wrong it is.
///
/// For an anchor with target class `t` (0 = background), softmax probabilities `p` and `p_t = p[t]`:
/// ```
/// α_t        = α if t > 0, 1 − α if t = 0
/// loss       = −α_t · (1 − p_t)^γ · log p_t
/// ∂loss/∂z_j = α_t · (γ · (1 − p_t)^(γ−1) · p_t · log p_t − (1 − p_t)^γ) · (δ_tj − p_j)
/// ```
/// With γ = 0 and α_t = 1 this is cross-entropy (`∂/∂z_j = p_j − δ_tj`). Mining keeps 3 negatives per positive
/// and so learns from a few hundred of an image's 8,732 anchors; the focal loss learns from all of them while
/// the ~8,700 easy background anchors, already near `p_bg = 1`, weigh almost nothing. It needs the class head
/// to start near the background prior (`backgroundPriorBias`), or the first steps drown in background terms.
public struct FocalLoss: Sendable, Hashable {
    /// The focusing exponent γ (2 in the paper).
    public var gamma: Float
    /// The weight α of object targets; background targets weigh `1 − α` (0.25 in the paper).
    public var alpha: Float

    /// Creates the loss; the defaults are the paper's.
    public init(gamma: Float = 2, alpha: Float = 0.25) {
        precondition(gamma >= 0 && alpha > 0 && alpha < 1, "focal loss needs γ ≥ 0 and α in (0, 1)")
        self.gamma = gamma
        self.alpha = alpha
    }

    /// The background logit's initial bias that makes each of `classes` object classes start at probability
    /// `prior` when the other logits are 0: `exp(b) / (exp(b) + classes) = 1 − classes · prior`.
    public static func backgroundPriorBias(classes: Int, prior: Float = 0.01) -> Float {
        log(1 / prior - Float(classes))
    }

    /// One anchor's loss; writes `scale · ∂loss/∂z` into `gradient` (the anchor's `width` logits).
    /// - Parameters:
    ///   - logits: the anchor's `width` logits.
    ///   - target: its class target, `0..<width`.
    @inline(__always)
    func term(logits: UnsafeBufferPointer<Float>, row: Int, width: Int, target: Int, scale: Float, gradient: UnsafeMutableBufferPointer<Float>) -> Float {
        let logSum = MultiBoxLoss.logSumExp(logits, row: row, width: width)
        let logPt = logits[row + target] - logSum
        let pt = exp(logPt)
        let weight = target > 0 ? alpha : 1 - alpha
        let miss = max(0, 1 - pt)
        let focus = gamma == 2 ? miss * miss : pow(miss, gamma)
        let slope = weight * ((gamma == 2 ? 2 * miss : gamma * pow(miss, gamma - 1)) * pt * logPt - focus) * scale
        for c in 0..<width { gradient[row + c] = -slope * exp(logits[row + c] - logSum) }
        gradient[row + target] += slope
        return -weight * focus * logPt
    }
}
