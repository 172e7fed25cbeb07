/// The 1-D filter of a separable resize: for every output index, a window of `taps` consecutive source
/// indices starting at `starts[i]` and their weights `weights[i * taps ..< (i + 1) * taps]`, which sum to 1.
///
/// Computing the table once per axis turns the inner loops of `ImageResizer` into fixed-length
/// multiply-adds with no floor, clamp or division per pixel. Every window lies entirely inside the
/// source (`starts[i] + taps <= sourceCount`); taps that fall past an edge are folded onto the edge
/// pixel or given weight 0, so the inner loops need no bounds checks.
struct ResamplingTable: Sendable {
    /// Source indices read per output index.
    let taps: Int
    /// First source index of each output's window.
    let starts: [Int32]
    /// `outputCount * taps` weights.
    let weights: [Float]

    /// Downscales by more than this factor switch from 2-tap bilinear to area averaging.
    static let antialiasingThreshold = 2.0

    /// - Parameters:
    ///   - sourceCount: source pixels along the axis, > 0.
    ///   - outputCount: output pixels along the axis, > 0.
    init(sourceCount: Int, outputCount: Int) {
        precondition(sourceCount > 0 && outputCount > 0, "resize sizes must be positive")
        let scale = Double(sourceCount) / Double(outputCount)
        var windows: [(start: Int, weights: [Double])] = []
        windows.reserveCapacity(outputCount)
        if scale > Self.antialiasingThreshold {
            // OpenCV's INTER_AREA: each output pixel is the exact area average of the source pixels its
            // footprint [i·scale, (i + 1)·scale) covers, edge pixels weighted by the covered fraction.
            // Every source pixel contributes, so 1-pixel detail averages out instead of aliasing into
            // moiré, and an object keeps its total brightness and centroid. At a scale of exactly 2 this
            // is the same 2×2 average bilinear computes, so the switch at the threshold is seamless.
            for i in 0..<outputCount {
                let start = Double(i) * scale
                let end = start + scale
                let first = Int(start.rounded(.down))
                let last = min(Int(end.rounded(.up)), sourceCount)
                let weights = (first..<last).map { x in max(0, min(end, Double(x + 1)) - max(start, Double(x))) }
                windows.append((first, weights))
            }
        } else {
            // OpenCV's INTER_LINEAR: output pixel centre i + 0.5 maps to source coordinate (i + 0.5)·scale,
            // whose two nearest pixel centres are blended; outside the outer centres the edge pixel repeats.
            for i in 0..<outputCount {
                let position = (Double(i) + 0.5) * scale - 0.5
                var left = Int(position.rounded(.down))
                var fraction = position - Double(left)
                if left < 0 {
                    left = 0
                    fraction = 0
                }
                if left >= sourceCount - 1 {
                    left = sourceCount - 1
                    fraction = 0
                }
                windows.append((left, [1 - fraction, fraction]))
            }
        }
        let taps = min(windows.map(\.weights.count).max() ?? 1, sourceCount)
        var starts = [Int32](repeating: 0, count: outputCount)
        var weights = [Float](repeating: 0, count: outputCount * taps)
        for (i, window) in windows.enumerated() {
            // Shift the window left where it would run past the right edge; the weights move with it.
            let start = min(window.start, sourceCount - taps)
            let total = window.weights.reduce(0, +)
            starts[i] = Int32(start)
            for (k, weight) in window.weights.enumerated() where weight != 0 {
                // Clamp, not drop: a nonzero weight past the end only happens for the bilinear edge case,
                // and it belongs to the last pixel.
                let slot = min(window.start + k, sourceCount - 1) - start
                weights[i * taps + slot] += Float(weight / total)
            }
        }
        self.taps = taps
        self.starts = starts
        self.weights = weights
    }
}
