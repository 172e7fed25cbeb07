import CDNNL

/// Max pooling over square windows of `[N, C, H, W]`.
///
/// `ceilMode` rounds the output size up, as VGG-SSD's pool3 needs (75 → 38): the extra bottom/right window
/// is padded on the high side only, and padding never wins a max.
public final class MaxPool2D: Layer {
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let ceilMode: Bool

    private let engine: CPUEngine
    private var plans = PlanCache<[Int], Plan>()
    private var plan: Plan?

    public init(kernelSize: Int, stride: Int, padding: Int = 0, ceilMode: Bool = false, engine: CPUEngine) {
        precondition(kernelSize > 0 && stride > 0 && padding >= 0 && padding < kernelSize)
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.ceilMode = ceilMode
        self.engine = engine
    }

    public var parameters: [Parameter] { [] }

    /// Output extent and high-side padding for an input extent.
    func outputSize(_ extent: Int) -> (size: Int, highPadding: Int) {
        let span = extent + 2 * padding - kernelSize
        var size = span / stride + 1
        if ceilMode, span % stride != 0, (size * stride) < extent + padding { size += 1 }
        let highPadding = (size - 1) * stride + kernelSize - extent - padding
        return (size, highPadding)
    }

    public func outputDims(for inputDims: [Int]) -> [Int] {
        [inputDims[0], inputDims[1], outputSize(inputDims[2]).size, outputSize(inputDims[3]).size]
    }

    public func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor {
        let plan = try self.plan(for: input.memory.descriptor)
        let source = try plan.inputAdapter.adapt(input.memory, to: plan.forward.memoryDescriptor(dnnl_query_src_md))
        try plan.forward.execute([(DNNL_ARG_SRC, source), (DNNL_ARG_DST, plan.output), (DNNL_ARG_WORKSPACE, plan.workspace)])
        return Tensor(plan.output)
    }

    public func backward(_ outputGradient: Tensor) throws -> Tensor? {
        guard let plan else { preconditionFailure("MaxPool2D.backward without a training forward pass") }
        let gradient = try plan.gradientAdapter.adapt(outputGradient.memory, to: plan.backward.memoryDescriptor(dnnl_query_diff_dst_md))
        try plan.backward.execute([(DNNL_ARG_DIFF_DST, gradient), (DNNL_ARG_WORKSPACE, plan.workspace), (DNNL_ARG_DIFF_SRC, plan.inputGradient)])
        return Tensor(plan.inputGradient)
    }

    private func plan(for descriptor: dnnl_memory_desc_t) throws -> Plan {
        let plan = try plans.plan(for: descriptor.logicalDims) { try Plan(layer: self, data: descriptor) }
        self.plan = plan
        return plan
    }

    /// The primitives and memories for one input shape.
    final class Plan {
        let inputDims: [Int]
        let forward: DNNLPrimitive
        let backward: DNNLPrimitive
        let output: DNNLMemory
        let workspace: DNNLMemory
        let inputGradient: DNNLMemory
        let inputAdapter: LayoutAdapter
        let gradientAdapter: LayoutAdapter

        init(layer: MaxPool2D, data: dnnl_memory_desc_t) throws {
            let engine = layer.engine
            inputDims = data.logicalDims
            precondition(inputDims.count == 4, "max pool expects [N, C, H, W], got \(inputDims)")
            let (outHeight, highPadHeight) = layer.outputSize(inputDims[2])
            let (outWidth, highPadWidth) = layer.outputSize(inputDims[3])
            var source = data
            var destination = try DNNLMemory.descriptor([inputDims[0], inputDims[1], outHeight, outWidth], dnnl_format_tag_any)
            let strides = [Int64(layer.stride), Int64(layer.stride)]
            let kernel = [Int64(layer.kernelSize), Int64(layer.kernelSize)]
            let low = [Int64(layer.padding), Int64(layer.padding)]
            let high = [Int64(highPadHeight), Int64(highPadWidth)]
            var forwardDesc = dnnl_pooling_desc_t()
            try dnnlCheck(
                dnnl_pooling_forward_desc_init(
                    &forwardDesc,
                    dnnl_forward_training,
                    dnnl_pooling_max,
                    &source,
                    &destination,
                    strides,
                    kernel,
                    low,
                    high
                ),
                "describe max pool \(inputDims)"
            )
            forward = try DNNLPrimitive(forwardDesc, engine: engine, what: "max pool forward")
            var backwardDesc = dnnl_pooling_desc_t()
            try dnnlCheck(
                dnnl_pooling_backward_desc_init(&backwardDesc, dnnl_pooling_max, &source, &destination, strides, kernel, low, high),
                "describe max pool backward"
            )
            backward = try DNNLPrimitive(backwardDesc, hint: forward, engine: engine, what: "max pool backward")
            output = try forward.allocate(dnnl_query_dst_md)
            workspace = try forward.allocate(dnnl_query_workspace_md)
            inputGradient = try backward.allocate(dnnl_query_diff_src_md)
            inputAdapter = LayoutAdapter(engine: engine)
            gradientAdapter = LayoutAdapter(engine: engine)
        }
    }
}
