/// A rejected hyperparameter set. `description` reads like SageMaker's `ClientError` failure reasons, so the
/// emulator can put it in `FailureReason` and the training log unchanged.
public enum HyperparameterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A required hyperparameter (`num_classes`, `num_training_samples`) was not supplied.
    case missing(name: String)
    /// A name the algorithm does not know; `supported` lists the ones it does.
    case unknown(name: String, supported: [String])
    /// A value outside its type or range; `expected` describes the valid values.
    case invalidValue(name: String, value: String, expected: String)
    /// The data has an image with more objects than `label_width` can hold (found while reading the data,
    /// not while parsing the hyperparameters).
    case labelWidthTooSmall(labelWidth: Int, objects: Int)

    public var description: String {
        switch self {
        case .missing(let name):
            return "ClientError: Missing required hyperparameter: '\(name)'"
        case .unknown(let name, let supported):
            return "ClientError: Unknown hyperparameter '\(name)'. Supported hyperparameters: \(supported.joined(separator: ", "))."
        case .invalidValue(let name, let value, let expected):
            return "ClientError: Invalid value for hyperparameter '\(name)': '\(value)'. Expected \(expected)."
        case .labelWidthTooSmall(let labelWidth, let objects):
            let needed = 2 + 5 * objects  // the 2-value header, 5 values per object
            return "ClientError: Invalid parameter value 'label_width'. Please ensure that the value of parameter 'label_width' "
                + "(\(labelWidth)) is at least 2 + 5 × the largest number of objects in one image: an image with "
                + "\(objects) objects needs \(needed)."
        }
    }
}
