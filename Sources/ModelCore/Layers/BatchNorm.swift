/// Batch normalization over the channels of `[N, C, H, W]`: `y = γ · (x − μ) / √(σ² + ε) + β`.
///
/// Training normalises with the batch's statistics (biased variance, as oneDNN and every framework do) and
/// updates running statistics with `momentum` (`running = (1 − momentum)·running + momentum·batch`, unbiased
/// variance, as PyTorch and MXNet); inference normalises with the running statistics. With `fusesReLU` the
/// layer also applies `max(y, 0)` in the same pass (oneDNN's `fuse_norm_relu`), saving a full read and write of
/// the activations in each direction.
///
/// In a data-parallel job (`synchronizer` set) training normalises with the statistics of every rank's batch
/// together, and the running statistics follow them: N ranks train as one process with the global batch.
public final class BatchNorm: Layer {
    public let scale: Parameter
    public let shift: Parameter
    public let runningMean: Parameter
    public let runningVariance: Parameter
    public let channels: Int
    public let epsilon: Float
    public let momentum: Float
    /// Whether a ReLU is fused after the normalization.
    public let fusesReLU: Bool

    private var kernels = PlanCache<PlanKey, BatchNormKernel>()

    /// The ranks whose batches training normalises together (synchronised batch norm), or `nil` (the default)
    /// for this process's batch alone.
    public var synchronizer: (any CrossRankSum)? {
        didSet { kernels = PlanCache() }
    }

    /// - Parameters:
    ///   - name: the parameter name prefix, e.g. `"conv1_bn"`.
    ///   - channels: `C`.
    public init(name: String, channels: Int, epsilon: Float = 1e-5, momentum: Float = 0.1, fusesReLU: Bool = false, engine: CPUEngine) {
        self.fusesReLU = fusesReLU
        self.channels = channels
        self.epsilon = epsilon
        self.momentum = momentum
        scale = Parameter(name: "\(name).gamma", dims: [channels])
        scale.assign([Float](repeating: 1, count: channels))
        shift = Parameter(name: "\(name).beta", dims: [channels])
        runningMean = Parameter(name: "\(name).running_mean", dims: [channels])
        runningVariance = Parameter(name: "\(name).running_var", dims: [channels])
        runningVariance.assign([Float](repeating: 1, count: channels))
    }

    public var parameters: [Parameter] { [scale, shift] }
    public var buffers: [Parameter] { [runningMean, runningVariance] }

    public func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor {
        precondition(input.dims.count == 4 && input.dims[1] == channels, "batch norm expects [N, \(channels), H, W], got \(input.dims)")
        let kernel = try kernels.plan(for: PlanKey(dims: input.dims, mode: mode), mode: mode) {
            try BatchNormKernel(
                for: input, epsilon: epsilon, fusesReLU: fusesReLU, mode: mode,
                buffers: .init(
                    scale: scale.value, shift: shift.value, scaleGradient: scale.gradient, shiftGradient: shift.gradient,
                    runningMean: runningMean.value, runningVariance: runningVariance.value),
                synchronizer: synchronizer)
        }
        let output = try kernel.forward(input, mode: mode)
        guard mode == .training else { return output }
        let n = Float(kernel.batchCount)
        let unbiased = n > 1 ? n / (n - 1) : 1
        let mean = kernel.batchMean
        let variance = kernel.batchVariance
        for c in 0..<channels {
            runningMean.value[c] += momentum * (mean[c] - runningMean.value[c])
            runningVariance.value[c] += momentum * (variance[c] * unbiased - runningVariance.value[c])
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) throws -> Tensor? {
        try kernels.trainingPlan("BatchNorm").backward(outputGradient)
    }

    private struct PlanKey: Hashable {
        let dims: [Int]
        let mode: ForwardMode
    }
}
