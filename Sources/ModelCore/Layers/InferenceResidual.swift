/// A residual block for inference, `y = relu(branch(x) + shortcut(x))`, with the sum and the ReLU run as
/// post-ops of the branch's last convolution instead of a separate add and ReLU.
///
/// Built by `InferenceFusion` from a trained `Residual`; its convolutions have their batch norms folded in.
public final class InferenceResidual: Layer {
    /// The branch up to, not including, its last convolution.
    public let branch: Sequential
    /// The branch's last convolution, with a `.sumThenReLU` post-op.
    public let last: InferenceConv2D
    /// The projection shortcut, or `nil` for the identity.
    public let shortcut: Sequential?

    public init(branch: Sequential, last: InferenceConv2D, shortcut: Sequential?) {
        precondition(last.postOps == .sumThenReLU, "a residual block's last convolution must add the shortcut and apply ReLU")
        self.branch = branch
        self.last = last
        self.shortcut = shortcut
    }

    public var parameters: [Parameter] { [] }

    public func outputDims(for inputDims: [Int]) -> [Int] { last.outputDims(for: branch.outputDims(for: inputDims)) }

    /// Runs the block; `mode` is ignored (always inference).
    public func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor {
        let skip = try shortcut?.forward(input, mode: .inference) ?? input
        return try last.forward(branch.forward(input, mode: .inference), adding: skip)
    }

    public func backward(_ outputGradient: Tensor) throws -> Tensor? {
        preconditionFailure("InferenceResidual is inference-only: train the Residual it was built from")
    }
}
