import CDNNL

/// oneDNN's ReLU (eltwise) forward and backward for one input shape, in the input's own layout.
final class ReLUKernel {
    private let plan: PrimitivePlan

    /// Builds the primitives for `input`'s shape and layout.
    init(for input: Tensor) throws {
        let engine = input.memory.engine
        var data = input.memory.descriptor
        var forwardDesc = dnnl_eltwise_desc_t()
        try dnnlCheck(dnnl_eltwise_forward_desc_init(&forwardDesc, dnnl_forward_training, dnnl_eltwise_relu, &data, 0, 0), "describe relu")
        let forward = try DNNLPrimitive(forwardDesc, engine: engine, what: "relu forward")
        var backwardDesc = dnnl_eltwise_desc_t()
        var diff = data
        try dnnlCheck(dnnl_eltwise_backward_desc_init(&backwardDesc, dnnl_eltwise_relu, &diff, &data, 0, 0), "describe relu backward")
        plan = try PrimitivePlan(forward: forward, backward: DNNLPrimitive(backwardDesc, hint: forward, engine: engine, what: "relu backward"))
    }

    /// `max(input, 0)`; the output is reused by the next call.
    func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor { try plan.runForward(input, mode: mode) }

    /// The input's gradient for the last training forward pass.
    func backward(_ outputGradient: Tensor) throws -> Tensor { try plan.runBackward(outputGradient, readsSource: true) }
}
