/// Why an optimizer refused a saved state: resuming from a state that does not fit the model would silently
/// restart the moment estimates of some parameters, so every mismatch is an error.
public enum OptimizerStateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A slot the optimizer needs is absent, e.g. `"conv1.weight:momentum"`, or the step counter.
    case missingEntry(String)
    /// A slot has the wrong number of values for its parameter.
    case sizeMismatch(key: String, expected: Int, actual: Int)
    /// A key names no parameter of the model, or a slot this optimizer does not have.
    case unexpectedEntry(String)
    /// The step counter entry is not two non-negative integral values below 2²⁴.
    case invalidStepCount([Float])

    public var description: String {
        switch self {
        case .missingEntry(let key):
            return "optimizer state is missing '\(key)'"
        case .sizeMismatch(let key, let expected, let actual):
            return "optimizer state '\(key)' has \(actual) values, the parameter has \(expected)"
        case .unexpectedEntry(let key):
            return "optimizer state has an entry '\(key)' that matches no parameter slot of this optimizer"
        case .invalidStepCount(let values):
            return "optimizer state step counter \(values) is not a valid [low 24 bits, high bits] pair"
        }
    }
}
