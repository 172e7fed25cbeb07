import CDNNL

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
    private var plans = PlanCache<[Int], Plan>()
    private var plan: Plan?
    private var savedInput: DNNLMemory?

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
        let plan = try self.plan(for: input.dims)
        let source = try plan.inputAdapter.adapt(input.memory, to: plan.forward.memoryDescriptor(dnnl_query_src_md))
        try plan.weightsAdapter.copy(plan.plainWeights, into: plan.weights)
        var arguments: [(Int32, DNNLMemory)] = [
            (DNNL_ARG_SRC, source), (DNNL_ARG_WEIGHTS, plan.weights), (DNNL_ARG_DST, plan.output),
        ]
        if let plainBias = plan.plainBias { arguments.append((DNNL_ARG_BIAS, plainBias)) }
        try plan.forward.execute(arguments)
        savedInput = mode == .training ? source : nil
        return Tensor(plan.output)
    }

    public func backward(_ outputGradient: Tensor) throws -> Tensor? {
        guard let plan, let savedInput else { preconditionFailure("Conv2D.backward without a training forward pass") }
        if !weight.isFrozen || bias?.isFrozen == false {
            let gradient = try plan.weightsGradientAdapter.adapt(
                outputGradient.memory,
                to: plan.backwardWeights.memoryDescriptor(dnnl_query_diff_dst_md)
            )
            var arguments: [(Int32, DNNLMemory)] = [
                (DNNL_ARG_SRC, try plan.savedInputAdapter.adapt(savedInput, to: plan.backwardWeights.memoryDescriptor(dnnl_query_src_md))),
                (DNNL_ARG_DIFF_DST, gradient), (DNNL_ARG_DIFF_WEIGHTS, plan.weightsGradient),
            ]
            if let plainBiasGradient = plan.plainBiasGradient { arguments.append((DNNL_ARG_DIFF_BIAS, plainBiasGradient)) }
            try plan.backwardWeights.execute(arguments)
            try plan.weightsGradientCopier.copy(plan.weightsGradient, into: plan.plainWeightsGradient)
        }
        guard computesInputGradient else { return nil }
        let gradient = try plan.dataGradientAdapter.adapt(
            outputGradient.memory,
            to: plan.backwardData.memoryDescriptor(dnnl_query_diff_dst_md)
        )
        try plan.backwardData.execute([
            (DNNL_ARG_DIFF_DST, gradient),
            (DNNL_ARG_WEIGHTS, try plan.backwardWeightsAdapter.adapt(plan.weights, to: plan.backwardData.memoryDescriptor(dnnl_query_weights_md))),
            (DNNL_ARG_DIFF_SRC, plan.inputGradient),
        ])
        return Tensor(plan.inputGradient)
    }

    private func plan(for dims: [Int]) throws -> Plan {
        let plan = try plans.plan(for: dims) { try Plan(layer: self, geometry: geometry(for: dims)) }
        self.plan = plan
        return plan
    }
}

extension Conv2D {
    /// The primitives and memories for one input shape.
    final class Plan {
        let inputDims: [Int]
        let forward: DNNLPrimitive
        let backwardData: DNNLPrimitive
        let backwardWeights: DNNLPrimitive
        let weights: DNNLMemory
        let plainWeights: DNNLMemory
        let plainBias: DNNLMemory?
        let weightsGradient: DNNLMemory
        let plainWeightsGradient: DNNLMemory
        let plainBiasGradient: DNNLMemory?
        let output: DNNLMemory
        let inputGradient: DNNLMemory
        let inputAdapter: LayoutAdapter
        let weightsAdapter: LayoutAdapter
        let weightsGradientAdapter: LayoutAdapter
        let dataGradientAdapter: LayoutAdapter
        let weightsGradientCopier: LayoutAdapter
        let savedInputAdapter: LayoutAdapter
        let backwardWeightsAdapter: LayoutAdapter

        init(layer: Conv2D, geometry g: Conv2DGeometry) throws {
            let engine = layer.engine
            inputDims = g.inputDims
            let plainBiasDescriptor = try DNNLMemory.descriptor([g.outputChannels], dnnl_x)
            var descriptors = try ConvolutionDescriptors(g, hasBias: layer.bias != nil)
            forward = try DNNLPrimitive(try descriptors.forward(dnnl_forward_training), engine: engine, what: "convolution forward")
            backwardData = try DNNLPrimitive(try descriptors.backwardData(), hint: forward, engine: engine, what: "convolution backward data")
            backwardWeights = try DNNLPrimitive(
                try descriptors.backwardWeights(), hint: forward, engine: engine, what: "convolution backward weights")

            let plainWeightsDescriptor = try DNNLMemory.descriptor(g.weightDims, dnnl_oihw)
            weights = try forward.allocate(dnnl_query_weights_md)
            plainWeights = try DNNLMemory(plainWeightsDescriptor, engine: engine, buffer: UnsafeMutableRawPointer(layer.weight.value.baseAddress!))
            weightsGradient = try backwardWeights.allocate(dnnl_query_diff_weights_md)
            plainWeightsGradient = try DNNLMemory(
                plainWeightsDescriptor,
                engine: engine,
                buffer: UnsafeMutableRawPointer(layer.weight.gradient.baseAddress!)
            )
            if let bias = layer.bias {
                plainBias = try DNNLMemory(plainBiasDescriptor, engine: engine, buffer: UnsafeMutableRawPointer(bias.value.baseAddress!))
                plainBiasGradient = try DNNLMemory(
                    plainBiasDescriptor,
                    engine: engine,
                    buffer: UnsafeMutableRawPointer(bias.gradient.baseAddress!)
                )
            } else {
                plainBias = nil
                plainBiasGradient = nil
            }
            output = try forward.allocate(dnnl_query_dst_md)
            inputGradient = try backwardData.allocate(dnnl_query_diff_src_md)
            inputAdapter = LayoutAdapter(engine: engine)
            weightsAdapter = LayoutAdapter(engine: engine)
            weightsGradientAdapter = LayoutAdapter(engine: engine)
            dataGradientAdapter = LayoutAdapter(engine: engine)
            weightsGradientCopier = LayoutAdapter(engine: engine)
            savedInputAdapter = LayoutAdapter(engine: engine)
            backwardWeightsAdapter = LayoutAdapter(engine: engine)
        }
    }
}
