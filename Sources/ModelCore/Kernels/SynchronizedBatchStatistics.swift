/// Batch norm over the ranks of a data-parallel job (synchronised batch norm): the per-channel statistics and
/// gradient sums of the *global* batch, so that N ranks each holding `n` images normalise and back-propagate
/// exactly as one process holding all `N·n` would. Tensors are channels-last (`[P, C]` rows, `P` = images ×
/// height × width); every sum is over this rank's `P` rows, then over the ranks (`CrossRankSum.sum`).
///
/// Forward, two passes in `Double` (the one-pass `E[x²] − μ²` cancels badly when |μ| ≫ σ):
///
///     M    = Σ_ranks P                                        (the global count)
///     μ_c  = Σ_ranks Σ_p x_pc / M
///     σ²_c = Σ_ranks Σ_p (x_pc − μ_c)² / M                   (biased, as oneDNN)
///
/// oneDNN then normalises with these as given statistics (`dnnl_use_global_stats`). Backward runs oneDNN's
/// backward with the same flag, which treats μ and σ² as constants; with `inv_c = 1 / √(σ²_c + ε)` and `d` the
/// output gradient (masked by the fused ReLU) it returns
///
///     dx⁰_pc = γ_c · inv_c · d_pc
///     Γ_c    = inv_c · Σ_p d_pc · (x_pc − μ_c)                (this rank's γ gradient)
///     Β_c    = Σ_p d_pc                                       (this rank's β gradient)
///
/// and the dependence of μ and σ² on every rank's inputs is added back with the global sums:
///
///     dx_pc  = dx⁰_pc − γ_c · inv_c · (ΣΓ_c / M · inv_c · (x_pc − μ_c) + ΣΒ_c / M)
///
/// which is oneDNN's own batch-statistics formula with `M` and the sums taken over all ranks; in `Float`, as
/// `dx_pc −= a_c · (x_pc − μ_c) + b_c` with `a_c = (γ_c · inv_c) · (ΣΓ_c / M · inv_c)` and
/// `b_c = (γ_c · inv_c) · (ΣΒ_c / M)`, the sums rounded to `Float` after the reduction. Γ and Β stay
/// this rank's: the trainer sums parameter gradients over the ranks like any other.
enum SynchronizedBatchStatistics {
    /// The global batch's per-channel mean and biased variance, and its element count per channel.
    static func statistics(
        of x: UnsafeMutableBufferPointer<Float>,
        channels: Int,
        over reducer: any CrossRankSum
    ) throws -> (mean: [Float], variance: [Float], count: Int) {
        let rows = x.count / channels
        var sums = [Double](repeating: 0, count: channels + 1)
        sums[channels] = Double(rows)
        for p in 0..<rows {
            let row = p * channels
            for c in 0..<channels { sums[c] += Double(x[row + c]) }
        }
        sums = try reducer.sum(sums)
        let count = sums[channels]
        let mean = sums.prefix(channels).map { $0 / count }
        var squares = [Double](repeating: 0, count: channels)
        for p in 0..<rows {
            let row = p * channels
            for c in 0..<channels {
                let centered = Double(x[row + c]) - mean[c]
                squares[c] += centered * centered
            }
        }
        squares = try reducer.sum(squares)
        return (mean.map { Float($0) }, squares.map { Float($0 / count) }, Int(count))
    }

    /// Adds to `inputGradient` (oneDNN's `dx⁰`) the terms of the global mean and variance; `scaleGradient` and
    /// `shiftGradient` are this rank's Γ and Β.
    static func correct(
        inputGradient dx: UnsafeMutableBufferPointer<Float>,
        source x: UnsafeMutableBufferPointer<Float>,
        statistics: (mean: UnsafeMutableBufferPointer<Float>, variance: UnsafeMutableBufferPointer<Float>, count: Int),
        scale: UnsafeMutableBufferPointer<Float>,
        scaleGradient: UnsafeMutableBufferPointer<Float>,
        shiftGradient: UnsafeMutableBufferPointer<Float>,
        epsilon: Float,
        over reducer: any CrossRankSum
    ) throws {
        let channels = scale.count
        let sums = try reducer.sum(scaleGradient.map(Double.init) + shiftGradient.map(Double.init))
        let m = Float(statistics.count)
        var slope = [Float](repeating: 0, count: channels)
        var offset = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            let inv = 1 / (statistics.variance[c] + epsilon).squareRoot()
            let factor = scale[c] * inv
            slope[c] = factor * (Float(sums[c]) / m * inv)
            offset[c] = factor * (Float(sums[channels + c]) / m)
        }
        let mean = statistics.mean
        for p in 0..<(dx.count / channels) {
            let row = p * channels
            for c in 0..<channels { dx[row + c] -= slope[c] * (x[row + c] - mean[c]) + offset[c] }
        }
    }
}
