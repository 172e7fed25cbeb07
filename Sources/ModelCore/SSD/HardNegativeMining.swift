/// SSD's hard negative mining: which background anchors take part in the classification loss.
///
/// Per image, the candidates are the anchors whose class target is background. They are ranked by their
/// background loss `−log p_bg`, highest first — the boxes the network most wrongly believes hold an object.
/// (The ranking is computed on `−p_bg`, which orders them the same way without a log per anchor, as MXNet
/// does; ties go to the lower anchor index, the order of MXNet's stable sort.) The first
/// `min(candidates, max(⌊negativesPerPositive · positives⌋, minimumNegativesPerImage))` are kept.
///
/// ## Images without objects
/// MXNet's `MultiBoxTarget` gives such an image no negatives at all (`minimum_negative_samples=0`): it
/// contributes nothing, so images that show "no bee" never teach the network what background looks like. Here
/// an image keeps at least `minimumNegativesPerImage` negatives, 3 by default — the count an image with a
/// single positive anchor gets. Its hardest few boxes are exactly the would-be false positives, and 3 keeps
/// the weight of an empty image at that of the smallest real one: it adds 3 terms to a loss normalised by the
/// batch's positive count (and, in a batch with no positives at all, `max(1, 0) = 1` makes it weigh like a
/// batch with one positive). With the default ratio the minimum never binds on an image that has a positive.
/// Set it to 0 for MXNet's behaviour.
public struct HardNegativeMining: Sendable, Hashable {
    /// Negatives kept per positive anchor; SSD's and MXNet's `negative_mining_ratio` is 3.
    public var negativesPerPositive: Float
    /// Negatives kept in every image, whatever its positive count (see the type's documentation).
    public var minimumNegativesPerImage: Int

    /// Creates a rule; the defaults are 3:1 with at least 3 negatives per image.
    public init(negativesPerPositive: Float = 3, minimumNegativesPerImage: Int = 3) {
        precondition(negativesPerPositive >= 0 && minimumNegativesPerImage >= 0, "mining counts must be non-negative")
        self.negativesPerPositive = negativesPerPositive
        self.minimumNegativesPerImage = minimumNegativesPerImage
    }

    /// How many of `candidates` background anchors an image with `positives` positive anchors keeps.
    public func negativeCount(positives: Int, candidates: Int) -> Int {
        let ratioCount = Int((negativesPerPositive * Float(positives)).rounded(.down))
        return min(candidates, max(ratioCount, minimumNegativesPerImage))
    }

    /// The rule that keeps the `count` highest of `losses`, ties by position: keep a loss above `value`, and the
    /// first `ties` losses equal to it. Feed it every candidate's loss in anchor order.
    struct Cutoff {
        var value: Float
        var ties: Int

        /// Whether the next candidate in anchor order, whose loss is `loss`, is kept.
        @inline(__always)
        mutating func admits(_ loss: Float) -> Bool {
            if loss > value { return true }
            if loss == value, ties > 0 {
                ties -= 1
                return true
            }
            return false
        }
    }

    /// A NaN loss ranks as the hardest, so selection stays total and terminates.
    @inline(__always)
    static func rankable(_ loss: Float) -> Float { loss.isNaN ? .infinity : loss }

    /// The cutoff that keeps the `count` highest of `losses` (already passed through `rankable`). Reorders
    /// `losses` (a scratch copy). `O(n)` on average: a min-heap of the `count` best when few are kept (SSD keeps
    /// ~3 negatives per positive out of thousands: almost every value costs one comparison), else a quickselect.
    static func cutoff(keeping count: Int, of losses: UnsafeMutableBufferPointer<Float>) -> Cutoff {
        if count <= 0 { return Cutoff(value: .infinity, ties: 0) }
        if count >= losses.count { return Cutoff(value: -.infinity, ties: Int.max) }
        let value = count * 8 <= losses.count ? kthLargestByHeap(losses, count - 1) : kthLargest(losses, count - 1)
        var above = 0
        for loss in losses where loss > value { above += 1 }
        return Cutoff(value: value, ties: count - above)
    }

    /// `kthLargest` through a min-heap of the `k + 1` largest values seen, kept in `values[0...k]`; reorders `values`.
    static func kthLargestByHeap(_ values: UnsafeMutableBufferPointer<Float>, _ k: Int) -> Float {
        precondition(values.indices.contains(k), "k = \(k) outside 0..<\(values.count)")
        let size = k + 1
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                var smallest = parent
                let left = 2 * parent + 1
                if left < size, values[left] < values[smallest] { smallest = left }
                if left + 1 < size, values[left + 1] < values[smallest] { smallest = left + 1 }
                if smallest == parent { return }
                values.swapAt(parent, smallest)
                parent = smallest
            }
        }
        for start in stride(from: size / 2 - 1, through: 0, by: -1) { siftDown(start) }
        for i in size..<values.count where values[i] > values[0] {
            values.swapAt(0, i)  // a swap, not a copy: the caller counts over the same multiset afterwards
            siftDown(0)
        }
        return values[0]
    }

    /// The value that would sit at position `k` if `values` were sorted in descending order. Reorders `values`;
    /// none may be NaN.
    static func kthLargest(_ values: UnsafeMutableBufferPointer<Float>, _ k: Int) -> Float {
        Quickselect.select(values, values.count - 1 - k)
    }
}
