import CDNNL

/// Batch normalization over the channels of `[N, C, H, W]`: `y = γ · (x − μ) / √(σ² + ε) + β`.
///
/// Training normalises with the batch's statistics (biased variance, as oneDNN and every framework do) and
/// updates running statistics with `momentum` (`running = (1 − momentum)·running + momentum·batch`, unbiased
/// variance, as PyTorch and MXNet); inference normalises with the running statistics. With `fusesReLU` the
/// layer also applies `max(y, 0)` in the same pass (oneDNN's `fuse_norm_relu`), saving a full read and write of
/// the activations in each direction.
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

    private let engine: CPUEngine
    private var plans = PlanCache<PlanKey, Plan>()
    private var trainingPlan: Plan?
    private var savedInput: DNNLMemory?

    /// - Parameters:
    ///   - name: the parameter name prefix, e.g. `"conv1_bn"`.
    ///   - channels: `C`.
    public init(name: String, channels: Int, epsilon: Float = 1e-5, momentum: Float = 0.1, fusesReLU: Bool = false, engine: CPUEngine) {
        self.fusesReLU = fusesReLU
        self.channels = channels
        self.epsilon = epsilon
        self.momentum = momentum
        self.engine = engine
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
        let plan = try self.plan(for: input.memory.descriptor, mode: mode)
        let source = try plan.inputAdapter.adapt(input.memory, to: plan.forward.memoryDescriptor(dnnl_query_src_md))
        // In training, mean and variance are outputs (the batch's statistics); in inference, inputs (running ones).
        try plan.forward.execute(
            [
                (DNNL_ARG_SRC, source), (DNNL_ARG_DST, plan.output), (DNNL_ARG_SCALE, plan.scale), (DNNL_ARG_SHIFT, plan.shift),
                (DNNL_ARG_MEAN, plan.mean), (DNNL_ARG_VARIANCE, plan.variance),
            ] + (plan.workspace.map { [(DNNL_ARG_WORKSPACE, $0)] } ?? [])
        )
        guard mode == .training else { return Tensor(plan.output) }
        let n = Float(input.count / channels)
        let unbiased = n > 1 ? n / (n - 1) : 1
        let mean = plan.mean.floats
        let variance = plan.variance.floats
        for c in 0..<channels {
            runningMean.value[c] += momentum * (mean[c] - runningMean.value[c])
            runningVariance.value[c] += momentum * (variance[c] * unbiased - runningVariance.value[c])
        }
        savedInput = source
        return Tensor(plan.output)
    }

    public func backward(_ outputGradient: Tensor) throws -> Tensor? {
        guard let plan = trainingPlan, let backward = plan.backward, let savedInput else {
            preconditionFailure("BatchNorm.backward without a training forward pass")
        }
        let gradient = try plan.gradientAdapter.adapt(outputGradient.memory, to: backward.memoryDescriptor(dnnl_query_diff_dst_md))
        try backward.execute(
            [
                (DNNL_ARG_SRC, savedInput), (DNNL_ARG_MEAN, plan.mean), (DNNL_ARG_VARIANCE, plan.variance),
            ] + (plan.workspace.map { [(DNNL_ARG_WORKSPACE, $0)] } ?? []) + [
                (DNNL_ARG_DIFF_DST, gradient), (DNNL_ARG_SCALE, plan.scale), (DNNL_ARG_SHIFT, plan.shift), (DNNL_ARG_DIFF_SRC, plan.inputGradient!),
                (DNNL_ARG_DIFF_SCALE, plan.scaleGradient!), (DNNL_ARG_DIFF_SHIFT, plan.shiftGradient!),
            ]
        )
        return Tensor(plan.inputGradient!)
    }

    private struct PlanKey: Hashable {
        let dims: [Int]
        let mode: ForwardMode
    }

    private func plan(for descriptor: dnnl_memory_desc_t, mode: ForwardMode) throws -> Plan {
        let plan = try plans.plan(for: PlanKey(dims: descriptor.logicalDims, mode: mode)) { try Plan(layer: self, data: descriptor, mode: mode) }
        if mode == .training { trainingPlan = plan }
        return plan
    }
}

extension BatchNorm {
    /// The primitives and memories for one input shape and mode.
    final class Plan {
        let inputDims: [Int]
        let forward: DNNLPrimitive
        let backward: DNNLPrimitive?
        let scale: DNNLMemory
        let shift: DNNLMemory
        let mean: DNNLMemory
        let variance: DNNLMemory
        let output: DNNLMemory
        let inputGradient: DNNLMemory?
        /// Where fused ReLU remembers which outputs were clipped (training only).
        let workspace: DNNLMemory?
        let scaleGradient: DNNLMemory?
        let shiftGradient: DNNLMemory?
        let inputAdapter: LayoutAdapter
        let gradientAdapter: LayoutAdapter

        init(layer: BatchNorm, data: dnnl_memory_desc_t, mode: ForwardMode) throws {
            let engine = layer.engine
            inputDims = data.logicalDims
            var data = data
            let affine = dnnl_use_scale.rawValue | dnnl_use_shift.rawValue | (layer.fusesReLU ? dnnl_fuse_norm_relu.rawValue : 0)
            let flags = mode == .training ? affine : affine | dnnl_use_global_stats.rawValue
            var forwardDesc = dnnl_batch_normalization_desc_t()
            try dnnlCheck(
                dnnl_batch_normalization_forward_desc_init(
                    &forwardDesc,
                    mode == .training ? dnnl_forward_training : dnnl_forward_inference,
                    &data,
                    layer.epsilon,
                    flags
                ),
                "describe batch norm \(inputDims)"
            )
            forward = try DNNLPrimitive(forwardDesc, engine: engine, what: "batch norm forward")
            let vector = try DNNLMemory.descriptor([layer.channels], dnnl_x)
            func borrow(_ buffer: UnsafeMutableBufferPointer<Float>) throws -> DNNLMemory {
                try DNNLMemory(vector, engine: engine, buffer: UnsafeMutableRawPointer(buffer.baseAddress!))
            }
            scale = try borrow(layer.scale.value)
            shift = try borrow(layer.shift.value)
            if mode == .training {
                mean = try DNNLMemory(vector, engine: engine)
                variance = try DNNLMemory(vector, engine: engine)
                var backwardDesc = dnnl_batch_normalization_desc_t()
                var diff = data
                try dnnlCheck(
                    dnnl_batch_normalization_backward_desc_init(&backwardDesc, dnnl_backward, &diff, &data, layer.epsilon, affine),
                    "describe batch norm backward"
                )
                let backward = try DNNLPrimitive(backwardDesc, hint: forward, engine: engine, what: "batch norm backward")
                self.backward = backward
                inputGradient = try backward.allocate(dnnl_query_diff_src_md)
                scaleGradient = try borrow(layer.scale.gradient)
                shiftGradient = try borrow(layer.shift.gradient)
            } else {
                mean = try borrow(layer.runningMean.value)
                variance = try borrow(layer.runningVariance.value)
                backward = nil
                inputGradient = nil
                scaleGradient = nil
                shiftGradient = nil
            }
            output = try forward.allocate(dnnl_query_dst_md)
            workspace = mode == .training && layer.fusesReLU ? try forward.allocate(dnnl_query_workspace_md) : nil
            inputAdapter = LayoutAdapter(engine: engine)
            gradientAdapter = LayoutAdapter(engine: engine)
        }
    }
}
