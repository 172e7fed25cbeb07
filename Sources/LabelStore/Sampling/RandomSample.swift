/// Ground Truth's "Random sample": a seeded subset of an input manifest's lines, written as a new manifest
/// (the course labels a 2% sample of its 500 bee photos: 10 images).
///
/// Lines are kept verbatim (extra keys pass through, as Ground Truth does) and in their original order; which
/// lines are kept depends only on the seed and the number of lines.
public enum RandomSample {
    /// The percentage Ground Truth's course uses.
    public static let defaultPercent = 2.0

    /// How many of `count` lines a `percent` sample keeps: rounded half up, at least one of a non-empty manifest.
    public static func size(of count: Int, percent: Double) -> Int {
        precondition(percent > 0 && percent <= 100, "percent must be in (0, 100], got \(percent)")
        guard count > 0 else { return 0 }
        return min(count, max(1, Int((Double(count) * percent / 100).rounded(.toNearestOrAwayFromZero))))
    }

    /// The indices of the sampled lines, ascending.
    public static func indices(count: Int, percent: Double, seed: UInt64) -> [Int] {
        var order = Array(0..<count)
        var random = SeededRandom(seed: seed)
        let size = size(of: count, percent: percent)
        // A partial Fisher–Yates shuffle: the first `size` positions are a uniform random subset.
        for i in 0..<size {
            let j = i + Int(random.next() % UInt64(count - i))
            order.swapAt(i, j)
        }
        return order.prefix(size).sorted()
    }

    /// The sampled manifest: the chosen non-blank lines of `manifest`, each followed by a newline.
    /// - Parameters:
    ///   - manifest: an input (or output) manifest, JSON Lines.
    ///   - percent: in `(0, 100]`; default 2.
    ///   - seed: the same seed picks the same lines.
    public static func manifest(_ manifest: String, percent: Double = defaultPercent, seed: UInt64) -> (text: String, kept: Int, total: Int) {
        let parts = split(manifest, percent: percent, seed: seed)
        return (parts.sample, parts.kept, parts.total)
    }

    /// The sampled manifest and the rest: every non-blank line of `manifest` goes to exactly one of the two, in
    /// its original order (`percent: 80` is an 80/20 train/validation split).
    public static func split(_ manifest: String, percent: Double, seed: UInt64) -> (sample: String, rest: String, kept: Int, total: Int) {
        let lines = manifest.split(separator: "\n").filter { !$0.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } }
        let chosen = Set(indices(count: lines.count, percent: percent, seed: seed))
        var (sample, rest) = ("", "")
        for (index, line) in lines.enumerated() {
            if chosen.contains(index) { sample += line + "\n" } else { rest += line + "\n" }
        }
        return (sample, rest, chosen.count, lines.count)
    }
}
