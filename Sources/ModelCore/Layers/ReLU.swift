/// The rectified linear unit, `y = max(x, 0)`, elementwise, in the input's own layout.
public final class ReLU: Layer {
    private var kernels = PlanCache<[Int], ReLUKernel>()

    public init(engine: CPUEngine) {}

    public var parameters: [Parameter] { [] }

    public func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor {
        try kernels.plan(for: input.dims, mode: mode) { try ReLUKernel(for: input) }.forward(input, mode: mode)
    }

    public func backward(_ outputGradient: Tensor) throws -> Tensor? {
        try kernels.trainingPlan("ReLU").backward(outputGradient)
    }
}
