import CDNNL

/// One oneDNN operation for one input shape: its forward primitive and, for training, the backward primitive
/// that yields the input's gradient, with the buffers they write and the adapters that bring their arguments
/// into the layouts they chose. The output is the plan's own (backward reads it as the next layer's saved input);
/// each input gradient is a recycled buffer (`BufferRecycler`), alive while its reader holds it. The part every layer kernel (eltwise, pooling, batch norm, convolution) shares.
final class PrimitivePlan {
    let forward: DNNLPrimitive
    let backward: DNNLPrimitive?
    let output: DNNLMemory
    /// What the forward pass leaves for backward (max pooling's argmax, fused ReLU's mask), or `nil`.
    let workspace: DNNLMemory?
    /// The input as the forward primitive read it, kept by a training pass for backward.
    private(set) var savedSource: DNNLMemory?
    private let inputAdapter: LayoutAdapter
    private let gradientAdapter: LayoutAdapter

    /// - Parameter workspace: whether the forward primitive writes a workspace its backward reads.
    init(forward: DNNLPrimitive, backward: DNNLPrimitive?, workspace: Bool = false) throws {
        self.forward = forward
        self.backward = backward
        output = try forward.allocate(dnnl_query_dst_md)
        self.workspace = workspace ? try forward.allocate(dnnl_query_workspace_md) : nil
        inputAdapter = LayoutAdapter(engine: forward.engine)
        gradientAdapter = LayoutAdapter(engine: forward.engine)
    }

    /// Runs the forward primitive on `input` (reordered to its source layout when needed) into `output`.
    /// - Parameters:
    ///   - arguments: the operation's other arguments (weights, scale, statistics).
    ///   - prepare: called with the source in the primitive's layout before it runs (synchronised batch norm
    ///     computes its statistics from it).
    func runForward(
        _ input: Tensor, mode: ForwardMode, _ arguments: [(Int32, DNNLMemory)] = [], prepare: ((DNNLMemory) throws -> Void)? = nil
    ) throws -> Tensor {
        let source = try inputAdapter.adapt(input.memory, to: forward.memoryDescriptor(dnnl_query_src_md))
        try prepare?(source)
        try forward.execute([(DNNL_ARG_SRC, source), (DNNL_ARG_DST, output)] + workspaceArgument + arguments)
        savedSource = mode == .training ? source : nil
        return Tensor(output)
    }

    /// Runs the backward primitive: the gradient with respect to the input of the last training forward pass.
    /// - Parameters:
    ///   - readsSource: whether the backward primitive takes the forward input (eltwise, batch norm) or not.
    ///   - arguments: the operation's other arguments (weights, statistics, parameter gradients).
    func runBackward(_ outputGradient: Tensor, readsSource: Bool, _ arguments: [(Int32, DNNLMemory)] = []) throws -> Tensor {
        guard let backward, let savedSource else { preconditionFailure("backward without a training forward pass") }
        let gradient = try adaptGradient(outputGradient, to: backward)
        let inputGradient = try DNNLMemory.recycled(backward.memoryDescriptor(dnnl_query_diff_src_md), engine: backward.engine)
        try backward.execute(
            [(DNNL_ARG_DIFF_DST, gradient), (DNNL_ARG_DIFF_SRC, inputGradient)] + workspaceArgument
                + (readsSource ? [(DNNL_ARG_SRC, savedSource)] : []) + arguments
        )
        return Tensor(inputGradient)
    }

    /// `outputGradient` in the layout `primitive` expects for its output's gradient.
    private func adaptGradient(_ outputGradient: Tensor, to primitive: DNNLPrimitive) throws -> DNNLMemory {
        try gradientAdapter.adapt(outputGradient.memory, to: primitive.memoryDescriptor(dnnl_query_diff_dst_md))
    }

    private var workspaceArgument: [(Int32, DNNLMemory)] { workspace.map { [(DNNL_ARG_WORKSPACE, $0)] } ?? [] }
}
