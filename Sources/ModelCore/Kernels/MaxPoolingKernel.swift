import CDNNL

/// oneDNN's max pooling forward and backward for one input shape; the forward pass's argmax (its workspace)
/// routes each gradient back to the input that won.
final class MaxPoolingKernel {
    private let plan: PrimitivePlan

    /// - Parameters:
    ///   - input: a tensor of the shape and layout the kernel is built for, `[N, C, H, W]`.
    ///   - outputSize: `(height, width)` of the pooled map.
    ///   - lowPadding: padding before the first row and column; `highPadding` after the last (`(height, width)`).
    init(for input: Tensor, outputSize: (Int, Int), kernelSize: Int, stride: Int, lowPadding: Int, highPadding: (Int, Int)) throws {
        let engine = input.memory.engine
        let dims = input.dims
        var source = input.memory.descriptor
        var destination = try DNNLMemory.descriptor([dims[0], dims[1], outputSize.0, outputSize.1], dnnl_format_tag_any)
        let strides = [Int64(stride), Int64(stride)]
        let kernel = [Int64(kernelSize), Int64(kernelSize)]
        let low = [Int64(lowPadding), Int64(lowPadding)]
        let high = [Int64(highPadding.0), Int64(highPadding.1)]
        var forwardDesc = dnnl_pooling_desc_t()
        try dnnlCheck(
            dnnl_pooling_forward_desc_init(
                &forwardDesc, dnnl_forward_training, dnnl_pooling_max, &source, &destination, strides, kernel, low, high),
            "describe max pool \(dims)"
        )
        let forward = try DNNLPrimitive(forwardDesc, engine: engine, what: "max pool forward")
        var backwardDesc = dnnl_pooling_desc_t()
        try dnnlCheck(
            dnnl_pooling_backward_desc_init(&backwardDesc, dnnl_pooling_max, &source, &destination, strides, kernel, low, high),
            "describe max pool backward"
        )
        let backward = try DNNLPrimitive(backwardDesc, hint: forward, engine: engine, what: "max pool backward")
        plan = try PrimitivePlan(forward: forward, backward: backward, workspace: true)
    }

    /// The pooled map; reused by the next call.
    func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor { try plan.runForward(input, mode: mode) }

    /// The input's gradient for the last training forward pass.
    func backward(_ outputGradient: Tensor) throws -> Tensor { try plan.runBackward(outputGradient, readsSource: false) }
}
