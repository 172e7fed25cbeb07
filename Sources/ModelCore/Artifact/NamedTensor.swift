/// A named, shaped array of floats: the unit of checkpoints and model artifacts (a flat dictionary of named
/// tensors, loaded strictly, as tinygrad's `safe_save`/`load_state_dict(strict=True)`).
public struct NamedTensor: Sendable, Equatable {
    public var name: String
    public var dims: [Int]
    public var values: [Float]

    public init(name: String, dims: [Int], values: [Float]) {
        precondition(dims.reduce(1, *) == values.count, "\(name): \(values.count) values for dims \(dims)")
        self.name = name
        self.dims = dims
        self.values = values
    }

    /// A copy of a parameter's current value.
    public init(_ parameter: Parameter) {
        self.init(name: parameter.name, dims: parameter.dims, values: Array(parameter.value))
    }
}
