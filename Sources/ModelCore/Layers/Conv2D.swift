/// A 2-D convolution with optional bias: `y = W ⊛ x + b`.
///
/// Input `[N, C, H, W]`, weight `[O, C, K, K]`, bias `[O]`, output `[N, O, OH, OW]` (logical NCHW; physical
/// layouts are whatever oneDNN's forward primitive prefers). Padding is symmetric; `dilation` 1 is a dense
/// kernel. The output tensor is reused: it is valid until this layer's next forward pass.
public final class Conv2D: ConvolutionLayer {
    public let weight: Parameter
    public let bias: Parameter?
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let dilation: Int
    /// When `false`, backward skips the gradient with respect to the input (for a network's first layer).
    public var computesInputGradient = true

    private let engine: CPUEngine
    private var kernels = PlanCache<[Int], ConvolutionKernel>()

    /// - Parameters:
    ///   - name: the parameter name prefix, e.g. `"conv1_1"`.
    ///   - bias: whether the layer adds a bias (convolutions followed by batch norm need none).
    public init(
        name: String,
        inputChannels: Int,
        outputChannels: Int,
        kernelSize: Int,
        stride: Int = 1,
        padding: Int = 0,
        dilation: Int = 1,
        bias: Bool = true,
        engine: CPUEngine
    ) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0 && stride > 0 && dilation > 0 && padding >= 0)
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.engine = engine
        weight = Parameter(name: "\(name).weight", dims: [outputChannels, inputChannels, kernelSize, kernelSize])
        self.bias = bias ? Parameter(name: "\(name).bias", dims: [outputChannels]) : nil
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor {
        try kernels.plan(for: input.dims, mode: mode) {
            try ConvolutionKernel(
                geometry(for: input.dims),
                buffers: .init(weights: weight.value, weightsGradient: weight.gradient, bias: bias?.value, biasGradient: bias?.gradient),
                engine: engine)
        }.forward(input, mode: mode)
    }

    public func backward(_ outputGradient: Tensor) throws -> Tensor? {
        let kernel = kernels.trainingPlan("Conv2D")
        if !weight.isFrozen || bias?.isFrozen == false { try kernel.backwardToWeights(outputGradient) }
        return computesInputGradient ? try kernel.backwardToInput(outputGradient) : nil
    }
}
