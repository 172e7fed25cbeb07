/// What an inference convolution runs after the convolution inside the same oneDNN primitive.
public enum ConvolutionPostOps: Sendable, Equatable {
    /// Nothing: `y = W' ⊛ x + b'`.
    case none
    /// `y = max(W' ⊛ x + b', 0)`.
    case relu
    /// `y = max(W' ⊛ x + b' + r, 0)`, `r` a residual block's shortcut.
    case sumThenReLU
}
