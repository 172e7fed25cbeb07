import AWSProtocol
import PostgresControlPlane

extension AWSError {
    /// An error an operation did not turn into an AWS error itself: `ServiceUnavailable` (503, which AWS clients
    /// retry) when the shared database did not answer — it is restarting or out of reach, and the call may go through
    /// when retried — else `InternalFailure` with the error's words.
    static func unexpected(_ error: any Error) -> AWSError {
        guard let reason = (error as? PostgresDatabaseError)?.unavailability else { return .internalFailure("\(error)") }
        return AWSError("ServiceUnavailable", "Apiary's PostgreSQL database did not answer (\(reason)); retry the call once it is back.", status: 503)
    }
}
