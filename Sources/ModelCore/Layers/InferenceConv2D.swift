/// An inference-only convolution: a `Conv2D` with the batch norm that follows it folded into its weights and
/// bias, and the ReLU (and, in residual blocks, the shortcut's sum) applied as oneDNN post-ops in the same pass.
///
/// Folding uses the batch norm's running statistics, `s = γ / √(σ² + ε)`: `W' = W · s` per output channel and
/// `b' = (b − μ) · s + β`. Weights are reordered into the primitive's layout once per input shape, not per
/// pass. The weights are a snapshot: later changes to the source layers do not reach this one.
public final class InferenceConv2D: ConvolutionLayer {
    /// What runs after the convolution inside the same primitive; the summand of `.sumThenReLU` is passed to
    /// `forward(_:adding:)`.
    public typealias PostOps = ConvolutionPostOps

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
    private var kernels = PlanCache<[Int], InferenceConvolutionKernel>()

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
        try kernels.plan(for: input.dims, mode: .inference) {
            try InferenceConvolutionKernel(geometry(for: input.dims), postOps: postOps, weights: foldedWeights, bias: foldedBias, engine: engine)
        }.forward(input, adding: residual)
    }
}
