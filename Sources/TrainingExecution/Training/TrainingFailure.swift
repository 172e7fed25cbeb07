import AWSProtocol
import ModelCore

/// A failure inside Apiary's algorithm or its platform rather than in the user's request or data: reported
/// as `AlgorithmError: <reason>`, SageMaker's prefix for internal errors.
struct AlgorithmError: Error, Sendable, Equatable, CustomStringConvertible {
    let reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { "AlgorithmError: \(reason)" }
}

/// The `FailureReason` of a failed training job (sagemaker-api.md §7.2): `ClientError: …` for what the user
/// can fix (request, hyperparameters, data), `AlgorithmError: …` for everything else, at most 1,024 characters.
enum TrainingFailure {
    static let maximumLength = 1024

    static func reason(for error: any Error) -> String {
        let text: String
        switch error {
        case let error as TrainingClientError: text = error.description
        case let error as HyperparameterError: text = error.description
        case let error as AlgorithmError: text = error.description
        case let error as AWSError: text = "ClientError: \(error.message)"
        default: text = "AlgorithmError: \(error)"
        }
        return text.count <= maximumLength ? text : String(text.prefix(maximumLength - 1)) + "…"
    }
}
