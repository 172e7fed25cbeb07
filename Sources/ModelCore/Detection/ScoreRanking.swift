/// Ranking by descending score, ties to the lower index — the order non-maximum suppression walks — computed on
/// packed integer keys: each entry becomes one `UInt64` (its score's order, inverted, above its index), so ranking
/// is a plain integer sort with no comparator reaching into the entries, and a top-k cap is a linear-time selection
/// followed by a sort of the k survivors only (an untrained or lightly trained SSD puts all 8,732 anchors above the
/// score threshold, of which `nms_topk` 400 are kept).
enum ScoreRanking {
    /// The indices `0..<count` whose score is `>= threshold` (NaN never is), best first, at most `limit` of them
    /// (`limit <= 0`: no cap). `count` must be below 2³².
    static func ranked(count: Int, limit: Int, threshold: Float, score: (Int) -> Float) -> [Int] {
        var keys: [UInt64] = []
        keys.reserveCapacity(count)
        for index in 0..<count {
            let value = score(index)
            if value >= threshold { keys.append(UInt64(~orderedBits(value)) << 32 | UInt64(index)) }
        }
        if limit > 0, keys.count > limit {
            selectSmallest(&keys, limit)
            keys.removeLast(keys.count - limit)
        }
        keys.sort()
        return keys.map { Int($0 & 0xFFFF_FFFF) }
    }

    /// A float's bits as an unsigned integer in the same order (negative floats flipped, positive ones offset);
    /// `-0` counts as `+0`.
    @inline(__always)
    static func orderedBits(_ value: Float) -> UInt32 {
        let bits = (value + 0).bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    /// Reorders distinct `keys` so that the first `k` (`0 < k < keys.count`) are the `k` smallest, in no particular
    /// order.
    static func selectSmallest(_ keys: inout [UInt64], _ k: Int) {
        _ = keys.withUnsafeMutableBufferPointer { Quickselect.select($0, k) }
    }
}
