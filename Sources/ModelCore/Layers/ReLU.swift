import CDNNL

/// The rectified linear unit, `y = max(x, 0)`, elementwise, in the input's own layout.
public final class ReLU: Layer {
    private let engine: CPUEngine
    private var plans = PlanCache<[Int], Plan>()
    private var plan: Plan?
    private var savedInput: DNNLMemory?

    public init(engine: CPUEngine) { self.engine = engine }

    public var parameters: [Parameter] { [] }

    public func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor {
        let plan = try self.plan(for: input.memory.descriptor)
        let source = try plan.inputAdapter.adapt(input.memory, to: plan.forward.memoryDescriptor(dnnl_query_src_md))
        try plan.forward.execute([(DNNL_ARG_SRC, source), (DNNL_ARG_DST, plan.output)])
        savedInput = mode == .training ? source : nil
        return Tensor(plan.output)
    }

    public func backward(_ outputGradient: Tensor) throws -> Tensor? {
        guard let plan, let savedInput else { preconditionFailure("ReLU.backward without a training forward pass") }
        let gradient = try plan.gradientAdapter.adapt(outputGradient.memory, to: plan.backward.memoryDescriptor(dnnl_query_diff_dst_md))
        try plan.backward.execute([(DNNL_ARG_SRC, savedInput), (DNNL_ARG_DIFF_DST, gradient), (DNNL_ARG_DIFF_SRC, plan.inputGradient)])
        return Tensor(plan.inputGradient)
    }

    private func plan(for descriptor: dnnl_memory_desc_t) throws -> Plan {
        let plan = try plans.plan(for: descriptor.logicalDims) { try Plan(engine: engine, data: descriptor) }
        self.plan = plan
        return plan
    }

    /// The primitives and memories for one input shape.
    final class Plan {
        let inputDims: [Int]
        let forward: DNNLPrimitive
        let backward: DNNLPrimitive
        let output: DNNLMemory
        let inputGradient: DNNLMemory
        let inputAdapter: LayoutAdapter
        let gradientAdapter: LayoutAdapter

        init(engine: CPUEngine, data: dnnl_memory_desc_t) throws {
            inputDims = data.logicalDims
            var data = data
            var forwardDesc = dnnl_eltwise_desc_t()
            try dnnlCheck(dnnl_eltwise_forward_desc_init(&forwardDesc, dnnl_forward_training, dnnl_eltwise_relu, &data, 0, 0), "describe relu")
            forward = try DNNLPrimitive(forwardDesc, engine: engine, what: "relu forward")
            var backwardDesc = dnnl_eltwise_desc_t()
            var diff = data
            try dnnlCheck(dnnl_eltwise_backward_desc_init(&backwardDesc, dnnl_eltwise_relu, &diff, &data, 0, 0), "describe relu backward")
            backward = try DNNLPrimitive(backwardDesc, hint: forward, engine: engine, what: "relu backward")
            output = try forward.allocate(dnnl_query_dst_md)
            inputGradient = try backward.allocate(dnnl_query_diff_src_md)
            inputAdapter = LayoutAdapter(engine: engine)
            gradientAdapter = LayoutAdapter(engine: engine)
        }
    }
}
