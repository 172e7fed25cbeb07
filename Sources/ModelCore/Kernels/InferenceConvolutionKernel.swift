import CDNNL

/// oneDNN's inference convolution for one geometry, with its post-ops (ReLU, the residual sum) in the same
/// primitive and its weights reordered into the primitive's layout once, when the kernel is built. 3×3 stride-1
/// convolutions use Winograd's algorithm where oneDNN has it (AVX-512), which does 2–4× fewer multiplications than
/// the direct one (the weights transformed once, here, by the reorder); each kernel keeps the activation layout its
/// implementation runs fastest on (channel-blocked for Winograd, NHWC for oneDNN's direct AVX-512 kernels), and
/// the reorder between two layouts costs far less than either kernel would lose in the other's.
final class InferenceConvolutionKernel {
    private let plan: PrimitivePlan
    private let weights: DNNLMemory
    private let bias: DNNLMemory
    private let residualAdapter: LayoutAdapter

    /// - Parameters:
    ///   - weights: row-major `[O, C, K, K]`, copied.
    ///   - bias: `[O]`, copied.
    init(_ g: Conv2DGeometry, postOps: ConvolutionPostOps, weights plain: [Float], bias plainBias: [Float], engine: CPUEngine) throws {
        let forward = try Self.withPostOps(postOps) { try Self.primitive(g, attributes: $0, engine: engine) }
        plan = try PrimitivePlan(forward: forward, backward: nil)
        let weights = try forward.allocate(dnnl_query_weights_md)
        let plainDescriptor = try DNNLMemory.descriptor(g.weightDims, dnnl_oihw)
        try plain.withUnsafeBytes { plain in
            let plainWeights = try DNNLMemory(plainDescriptor, engine: engine, buffer: UnsafeMutableRawPointer(mutating: plain.baseAddress!))
            try LayoutAdapter(engine: engine).copy(plainWeights, into: weights)
        }
        self.weights = weights
        let bias = try DNNLMemory(try DNNLMemory.descriptor([g.outputChannels], dnnl_x), engine: engine)
        plainBias.withUnsafeBytes { bias.pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        self.bias = bias
        residualAdapter = LayoutAdapter(engine: engine)
    }

    /// Runs the convolution and its post-ops; `residual` is the summand of a `.sumThenReLU` kernel. The output
    /// is reused by the next call.
    func forward(_ input: Tensor, adding residual: Tensor?) throws -> Tensor {
        // The sum post-op adds what the destination holds before the convolution writes it.
        if let residual {
            precondition(residual.dims == plan.output.dims, "residual \(residual.dims) does not match the output \(plan.output.dims)")
            try residualAdapter.copy(residual.memory, into: plan.output)
        }
        return try plan.runForward(input, mode: .inference, [(DNNL_ARG_WEIGHTS, weights), (DNNL_ARG_BIAS, bias)])
    }

    /// Below this many FLOPs a direct convolution takes about 0.1 ms, what oneDNN's Winograd kernels cost per call
    /// whatever the size (measured on the SSD heads' 1×1–10×10 maps, where Winograd was up to 8× slower).
    private static let winogradMinimumFLOPs = 2e7

    /// Winograd's convolution for a 3×3 stride-1 dense geometry large enough to pay its fixed cost, on whole blocks
    /// of 16 input channels (the image's 3 would be padded to 16: VGG's first convolution ran 2× slower), when
    /// oneDNN implements it for this CPU and these post-ops; else the direct one.
    private static func primitive(_ g: Conv2DGeometry, attributes: dnnl_primitive_attr_t, engine: CPUEngine) throws -> DNNLPrimitive {
        var descriptors = try ConvolutionDescriptors(g, hasBias: true)
        let winograd = g.kernelSize == 3 && g.stride == 1 && g.dilation == 1 && g.inputChannels % 16 == 0 && g.flops >= winogradMinimumFLOPs
        return try ConvolutionDescriptors.primitive(winograd: winograd) {
            try DNNLPrimitive(descriptors.forward(dnnl_forward_inference, algorithm: $0), attributes: attributes, engine: engine, what: "inference convolution")
        }
    }

    /// Runs `body` with oneDNN primitive attributes carrying the post-op chain, released afterwards (a primitive
    /// descriptor keeps its own copy).
    private static func withPostOps<Result>(_ postOps: ConvolutionPostOps, _ body: (dnnl_primitive_attr_t) throws -> Result) throws -> Result {
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
