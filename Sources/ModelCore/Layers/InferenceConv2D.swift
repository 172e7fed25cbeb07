import CDNNL

/// An inference-only convolution: a `Conv2D` with the batch norm that follows it folded into its weights and
/// bias, and the ReLU (and, in residual blocks, the shortcut's sum) applied as oneDNN post-ops in the same pass.
///
/// Folding uses the batch norm's running statistics, `s = γ / √(σ² + ε)`: `W' = W · s` per output channel and
/// `b' = (b − μ) · s + β`. Weights are reordered into the primitive's layout once per input shape, not per
/// pass. The weights are a snapshot: later changes to the source layers do not reach this one.
public final class InferenceConv2D: ConvolutionLayer {
    /// What runs after the convolution inside the same primitive.
    public enum PostOps: Sendable, Equatable {
        /// Nothing: `y = W' ⊛ x + b'`.
        case none
        /// `y = max(W' ⊛ x + b', 0)`.
        case relu
        /// `y = max(W' ⊛ x + b' + r, 0)`, `r` passed to `forward(_:adding:)` (a residual block's shortcut).
        case sumThenReLU
    }

    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let dilation: Int
    public let postOps: PostOps
    /// Folded weights `[O, C, K, K]` and bias `[O]`, row-major.
    private let foldedWeights: [Float]
    private let foldedBias: [Float]
    private let engine: CPUEngine
    private var plans = PlanCache<[Int], Plan>()

    /// Folds `batchNorm` (when given) into `convolution`.
    public init(folding convolution: Conv2D, batchNorm: BatchNorm?, postOps: PostOps, engine: CPUEngine) {
        precondition(batchNorm == nil || batchNorm!.channels == convolution.outputChannels, "batch norm channels differ from the convolution's")
        inputChannels = convolution.inputChannels
        outputChannels = convolution.outputChannels
        kernelSize = convolution.kernelSize
        stride = convolution.stride
        padding = convolution.padding
        dilation = convolution.dilation
        self.postOps = postOps
        self.engine = engine
        var weights = Array(convolution.weight.value)
        var bias = convolution.bias.map { Array($0.value) } ?? [Float](repeating: 0, count: convolution.outputChannels)
        if let batchNorm {
            let perOutput = weights.count / outputChannels
            for o in 0..<outputChannels {
                let variance = Double(batchNorm.runningVariance.value[o]) + Double(batchNorm.epsilon)
                let scale = Double(batchNorm.scale.value[o]) / variance.squareRoot()
                for i in (o * perOutput)..<((o + 1) * perOutput) { weights[i] = Float(Double(weights[i]) * scale) }
                bias[o] = Float((Double(bias[o]) - Double(batchNorm.runningMean.value[o])) * scale + Double(batchNorm.shift.value[o]))
            }
        }
        foldedWeights = weights
        foldedBias = bias
    }

    /// Nothing is trainable: the folded weights are derived, not learned here.
    public var parameters: [Parameter] { [] }

    /// Runs the layer; `mode` is ignored (always inference). Not for `.sumThenReLU` layers, which need their summand.
    public func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor {
        precondition(postOps != .sumThenReLU, "a sum post-op needs the tensor to add: use forward(_:adding:)")
        return try run(input, adding: nil)
    }

    /// Runs a `.sumThenReLU` layer: `max(W' ⊛ x + b' + residual, 0)`.
    public func forward(_ input: Tensor, adding residual: Tensor) throws -> Tensor {
        precondition(postOps == .sumThenReLU, "forward(_:adding:) needs a sum post-op")
        return try run(input, adding: residual)
    }

    public func backward(_ outputGradient: Tensor) throws -> Tensor? {
        preconditionFailure("InferenceConv2D is inference-only: train the Conv2D and BatchNorm it was folded from")
    }

    private func run(_ input: Tensor, adding residual: Tensor?) throws -> Tensor {
        let plan = try plans.plan(for: input.dims) { try Plan(layer: self, geometry: geometry(for: input.dims)) }
        let source = try plan.inputAdapter.adapt(input.memory, to: plan.forward.memoryDescriptor(dnnl_query_src_md))
        // The sum post-op adds what the destination holds before the convolution writes it.
        if let residual {
            precondition(residual.dims == plan.output.dims, "residual \(residual.dims) does not match the output \(plan.output.dims)")
            try plan.residualAdapter.copy(residual.memory, into: plan.output)
        }
        try plan.forward.execute([(DNNL_ARG_SRC, source), (DNNL_ARG_WEIGHTS, plan.weights), (DNNL_ARG_BIAS, plan.bias), (DNNL_ARG_DST, plan.output)])
        return Tensor(plan.output)
    }
}

extension InferenceConv2D {
    /// The primitive, its weights in the primitive's layout and the output, for one input shape.
    final class Plan {
        let forward: DNNLPrimitive
        let weights: DNNLMemory
        let bias: DNNLMemory
        let output: DNNLMemory
        let inputAdapter: LayoutAdapter
        let residualAdapter: LayoutAdapter

        init(layer: InferenceConv2D, geometry g: Conv2DGeometry) throws {
            let engine = layer.engine
            var descriptors = try ConvolutionDescriptors(g, hasBias: true)
            let desc = try descriptors.forward(dnnl_forward_inference)
            forward = try InferenceConv2D.withPostOps(layer.postOps) {
                try DNNLPrimitive(desc, attributes: $0, engine: engine, what: "inference convolution")
            }

            let weights = try forward.allocate(dnnl_query_weights_md)
            let plainDescriptor = try DNNLMemory.descriptor(g.weightDims, dnnl_oihw)
            try layer.foldedWeights.withUnsafeBytes { plain in
                let plainWeights = try DNNLMemory(plainDescriptor, engine: engine, buffer: UnsafeMutableRawPointer(mutating: plain.baseAddress!))
                try LayoutAdapter(engine: engine).copy(plainWeights, into: weights)
            }
            self.weights = weights
            let bias = try DNNLMemory(try DNNLMemory.descriptor([g.outputChannels], dnnl_x), engine: engine)
            layer.foldedBias.withUnsafeBytes { bias.pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            self.bias = bias
            output = try forward.allocate(dnnl_query_dst_md)
            inputAdapter = LayoutAdapter(engine: engine)
            residualAdapter = LayoutAdapter(engine: engine)
        }
    }

    /// Runs `body` with oneDNN primitive attributes carrying the post-op chain, released afterwards (a primitive
    /// descriptor keeps its own copy).
    private static func withPostOps<Result>(_ postOps: PostOps, _ body: (dnnl_primitive_attr_t) throws -> Result) throws -> Result {
        var attributes: dnnl_primitive_attr_t?
        try dnnlCheck(dnnl_primitive_attr_create(&attributes), "create primitive attributes")
        defer { dnnl_primitive_attr_destroy(attributes) }
        var chain: dnnl_post_ops_t?
        try dnnlCheck(dnnl_post_ops_create(&chain), "create post-ops")
        defer { dnnl_post_ops_destroy(chain) }
        if postOps == .sumThenReLU { try dnnlCheck(dnnl_post_ops_append_sum(chain, 1), "append sum post-op") }
        if postOps != .none { try dnnlCheck(dnnl_post_ops_append_eltwise(chain, 1, dnnl_eltwise_relu, 0, 0), "append ReLU post-op") }
        try dnnlCheck(dnnl_primitive_attr_set_post_ops(attributes, chain), "set post-ops")
        return try body(attributes!)
    }
}
