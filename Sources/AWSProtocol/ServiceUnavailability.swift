/// An error from a database the daemon depends on that did not answer — it is restarting, stopped or out of reach —
/// so that a call that met it may go through when retried. Declared here, beside `AWSError`, so that every API
/// answers it with its own retryable error (`AWSError.unavailable`) without knowing the database's library.
public protocol ServiceUnavailability: Error {
    /// What went wrong, in words; nil for an error of another kind (which a retry would meet again).
    var unavailability: String? { get }
}

/// The words every surface gives an outage: `Apiary's PostgreSQL database did not answer (…)`, with what went wrong;
/// nil when `error` is not such an outage.
public func databaseOutageMessage(_ error: any Error) -> String? {
    (error as? any ServiceUnavailability)?.unavailability.map { "Apiary's PostgreSQL database did not answer (\($0))" }
}

extension AWSError {
    /// The answer to a call that met a database that did not answer, in the words every API uses; `code` and `status`
    /// are the API's own retryable error (SageMaker's, S3's and CloudWatch's `ServiceUnavailable` 503, API Gateway's
    /// `ServiceUnavailableException` 503, Lambda's `ServiceException` 500). nil when `error` is not such an outage.
    public static func unavailable(_ error: any Error, code: String, status: Int = 503) -> AWSError? {
        guard let outage = databaseOutageMessage(error) else { return nil }
        return AWSError(code, "\(outage); retry the call once it is back.", status: status)
    }
}
