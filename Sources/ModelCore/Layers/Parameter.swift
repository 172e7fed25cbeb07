/// A trainable tensor: its value and the gradient of the loss with respect to it, both row-major in memory
/// Swift owns, so optimizers, checkpoints and tests read them directly.
///
/// Layers reorder the value into their primitive's preferred layout each step, and the primitive's gradient
/// back into `gradient`; for weights that is a small cost next to the activations.
public final class Parameter {
    /// The name checkpoints and `freeze_layer_pattern` use, e.g. `"backbone.conv1_1.weight"`.
    public let name: String
    /// Logical dimensions, e.g. `[O, C, KH, KW]` for convolution weights.
    public let dims: [Int]
    /// Row-major values.
    public let value: UnsafeMutableBufferPointer<Float>
    /// Row-major gradient of the last backward pass.
    public let gradient: UnsafeMutableBufferPointer<Float>
    /// Frozen parameters keep their value during training.
    public var isFrozen = false

    /// A zero-filled parameter.
    public init(name: String, dims: [Int]) {
        self.name = name
        self.dims = dims
        let count = dims.reduce(1, *)
        value = .allocate(capacity: count)
        value.initialize(repeating: 0)
        gradient = .allocate(capacity: count)
        gradient.initialize(repeating: 0)
    }

    deinit {
        value.deallocate()
        gradient.deallocate()
    }

    /// Number of elements.
    public var count: Int { value.count }

    /// Replaces the value.
    public func assign(_ values: [Float]) {
        precondition(values.count == count, "\(name): expected \(count) values, got \(values.count)")
        _ = value.update(fromContentsOf: values)
    }
}
