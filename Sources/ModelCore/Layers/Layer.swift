/// A network layer with a forward and a backward pass over oneDNN tensors.
///
/// `forward` may keep what `backward` needs (inputs, workspaces); `backward` takes the gradient of the loss
/// with respect to the layer's output, writes its parameters' gradients and returns the gradient with
/// respect to its input. Primitives are built for the input shape on first use and rebuilt when it changes.
public protocol Layer: AnyObject {
    /// Trainable parameters, in a stable order.
    var parameters: [Parameter] { get }
    /// Non-trainable state saved with checkpoints (batch norm running statistics), in a stable order.
    var buffers: [Parameter] { get }
    /// Runs the layer.
    func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor
    /// The output shape for an input shape, without running anything (used to lay out anchors).
    func outputDims(for inputDims: [Int]) -> [Int]
    /// Propagates `outputGradient` back through the last training forward pass.
    /// Returns `nil` when the layer was told its input needs no gradient (the network's first layer).
    func backward(_ outputGradient: Tensor) throws -> Tensor?
    /// The layers this one runs (a sequence's, a residual block's branches), for walks over a whole network.
    var sublayers: [any Layer] { get }
}

extension Layer {
    public var buffers: [Parameter] { [] }
    public var sublayers: [any Layer] { [] }
    /// Shape-preserving layers (batch norm, ReLU, L2 normalization) need not say more.
    public func outputDims(for inputDims: [Int]) -> [Int] { inputDims }
}
