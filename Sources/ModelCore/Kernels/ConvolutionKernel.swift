import CDNNL

/// oneDNN's convolution for training, for one geometry: forward, backward-data and backward-weights
/// primitives, the weights in the layout the forward primitive chose, and reorders from and to the caller's
/// row-major (OIHW) weights and gradients, which are borrowed and must outlive the kernel.
final class ConvolutionKernel {
    /// The caller's row-major buffers: weights `[O, C, K, K]`, bias `[O]` and their gradients.
    struct Buffers {
        var weights: UnsafeMutableBufferPointer<Float>
        var weightsGradient: UnsafeMutableBufferPointer<Float>
        var bias: UnsafeMutableBufferPointer<Float>?
        var biasGradient: UnsafeMutableBufferPointer<Float>?
    }

    private let plan: PrimitivePlan
    private let backwardWeights: DNNLPrimitive
    private let weights: DNNLMemory
    private let plainWeights: DNNLMemory
    private let plainBias: DNNLMemory?
    private let weightsGradient: DNNLMemory
    private let plainWeightsGradient: DNNLMemory
    private let plainBiasGradient: DNNLMemory?
    private let weightsAdapter: LayoutAdapter
    private let weightsGradientCopier: LayoutAdapter
    private let backwardWeightsGradientAdapter: LayoutAdapter
    private let savedInputAdapter: LayoutAdapter
    private let backwardDataWeightsAdapter: LayoutAdapter

    init(_ g: Conv2DGeometry, buffers: Buffers, engine: CPUEngine) throws {
        var descriptors = try ConvolutionDescriptors(g, hasBias: buffers.bias != nil)
        let forward = try DNNLPrimitive(try descriptors.forward(dnnl_forward_training), engine: engine, what: "convolution forward")
        let winograd = Self.usesWinograd(g)
        let backwardData = try ConvolutionDescriptors.primitive(winograd: winograd) {
            try DNNLPrimitive(try descriptors.backwardData(algorithm: $0), hint: forward, engine: engine, what: "convolution backward data")
        }
        backwardWeights = try ConvolutionDescriptors.primitive(winograd: winograd) {
            try DNNLPrimitive(try descriptors.backwardWeights(algorithm: $0), hint: forward, engine: engine, what: "convolution backward weights")
        }
        plan = try PrimitivePlan(forward: forward, backward: backwardData)

        let plainWeightsDescriptor = try DNNLMemory.descriptor(g.weightDims, dnnl_oihw)
        let plainBiasDescriptor = try DNNLMemory.descriptor([g.outputChannels], dnnl_x)
        func borrow(_ buffer: UnsafeMutableBufferPointer<Float>, _ descriptor: dnnl_memory_desc_t) throws -> DNNLMemory {
            try DNNLMemory(descriptor, engine: engine, buffer: UnsafeMutableRawPointer(buffer.baseAddress!))
        }
        weights = try forward.allocate(dnnl_query_weights_md)
        plainWeights = try borrow(buffers.weights, plainWeightsDescriptor)
        weightsGradient = try backwardWeights.allocate(dnnl_query_diff_weights_md)
        plainWeightsGradient = try borrow(buffers.weightsGradient, plainWeightsDescriptor)
        plainBias = try buffers.bias.map { try borrow($0, plainBiasDescriptor) }
        plainBiasGradient = try buffers.biasGradient.map { try borrow($0, plainBiasDescriptor) }
        weightsAdapter = LayoutAdapter(engine: engine)
        weightsGradientCopier = LayoutAdapter(engine: engine)
        backwardWeightsGradientAdapter = LayoutAdapter(engine: engine)
        savedInputAdapter = LayoutAdapter(engine: engine)
        backwardDataWeightsAdapter = LayoutAdapter(engine: engine)
    }

    /// oneDNN's implementations of the forward, backward-data and backward-weights passes.
    var implementations: [String] { [plan.forward.implementation, plan.backward?.implementation ?? "", backwardWeights.implementation] }

    /// Winograd's F(4×4, 3×3) for the backward passes of a 3×3 stride-1 dense convolution on whole blocks of 16
    /// input and output channels whose output map is at least 16×16: 1.5–3.6× faster than the direct kernels on
    /// these geometries (apiary-mobile, resnet-50 and vgg-16 at 300², measured per primitive), and slower on the
    /// 5×5 and 10×10 maps of the SSD heads, where a map holds too few 4×4 tiles to pay the transforms. The forward
    /// pass stays direct: with Winograd there, a network's gradients over two synchronised ranks differed from one
    /// pass by 1.1e-2 (`SynchronizedBatchNormTests`), against 8.8e-6 with the backward passes alone.
    static func usesWinograd(_ g: Conv2DGeometry) -> Bool {
        g.kernelSize == 3 && g.stride == 1 && g.dilation == 1 && g.inputChannels % 16 == 0 && g.outputChannels % 16 == 0
            && min(g.outputHeight, g.outputWidth) >= 16
    }

    /// `W ⊛ input + b`, reordering the caller's weights into the primitive's layout first; the output is
    /// reused by the next call.
    func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor {
        try weightsAdapter.copy(plainWeights, into: weights)
        return try plan.runForward(input, mode: mode, [(DNNL_ARG_WEIGHTS, weights)] + (plainBias.map { [(DNNL_ARG_BIAS, $0)] } ?? []))
    }

    /// Writes the weights' (and bias's) gradients for the last training forward pass into the caller's buffers.
    func backwardToWeights(_ outputGradient: Tensor) throws {
        guard let savedSource = plan.savedSource else { preconditionFailure("Conv2D.backward without a training forward pass") }
        let gradient = try backwardWeightsGradientAdapter.adapt(
            outputGradient.memory, to: backwardWeights.memoryDescriptor(dnnl_query_diff_dst_md))
        try backwardWeights.execute(
            [
                (DNNL_ARG_SRC, try savedInputAdapter.adapt(savedSource, to: backwardWeights.memoryDescriptor(dnnl_query_src_md))),
                (DNNL_ARG_DIFF_DST, gradient), (DNNL_ARG_DIFF_WEIGHTS, weightsGradient),
            ] + (plainBiasGradient.map { [(DNNL_ARG_DIFF_BIAS, $0)] } ?? [])
        )
        try weightsGradientCopier.copy(weightsGradient, into: plainWeightsGradient)
    }

    /// The input's gradient for the last training forward pass.
    func backwardToInput(_ outputGradient: Tensor) throws -> Tensor {
        guard let backwardData = plan.backward else { preconditionFailure("a training convolution has a backward-data primitive") }
        let weights = try backwardDataWeightsAdapter.adapt(weights, to: backwardData.memoryDescriptor(dnnl_query_weights_md))
        return try plan.runBackward(outputGradient, readsSource: false, [(DNNL_ARG_WEIGHTS, weights)])
    }
}
