/// A residual connection, `y = relu(branch(x) + shortcut(x))`, as in ResNet's bottleneck blocks.
///
/// The shortcut is the identity when `shortcut` is `nil`, or a projection (1×1 conv + batch norm) when the
/// shape changes. Backward sends the gradient through both paths and adds what comes back.
public final class Residual: Layer {
    public let branch: Sequential
    public let shortcut: Sequential?
    private let relu: ReLU
    private let sum: TensorSum
    private let gradientSum: TensorSum

    public init(branch: Sequential, shortcut: Sequential?, engine: CPUEngine) {
        self.branch = branch
        self.shortcut = shortcut
        relu = ReLU(engine: engine)
        sum = TensorSum(engine: engine)
        gradientSum = TensorSum(engine: engine)
    }

    public var parameters: [Parameter] { branch.parameters + (shortcut?.parameters ?? []) }
    public var buffers: [Parameter] { branch.buffers + (shortcut?.buffers ?? []) }
    public var sublayers: [any Layer] { [branch] + (shortcut.map { [$0] } ?? []) }

    public func outputDims(for inputDims: [Int]) -> [Int] { branch.outputDims(for: inputDims) }

    public func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor {
        let main = try branch.forward(input, mode: mode)
        let skip = try shortcut?.forward(input, mode: mode) ?? input
        return try relu.forward(sum.add(main, skip), mode: mode)
    }

    public func backward(_ outputGradient: Tensor) throws -> Tensor? {
        guard let g = try relu.backward(outputGradient) else { return nil }
        guard let mainGradient = try branch.backward(g) else { return nil }
        let skipGradient = try shortcut?.backward(g) ?? g
        return try gradientSum.add(mainGradient, skipGradient)
    }
}
