import AWSProtocol
import ControlPlane
import PostgresControlPlane

extension AWSError {
    /// An error an operation did not turn into an AWS error itself: `ServiceUnavailable` (503, which AWS clients
    /// retry) when the shared database did not answer — it is restarting or out of reach, and the call may go through
    /// when retried — `ValidationException` (400) for a name or text with the NUL character, which the stores do not
    /// hold, else `InternalFailure` with the error's words.
    static func unexpected(_ error: any Error) -> AWSError {
        if error is NULCharacterError || (error as? PostgresDatabaseError)?.isTextWithNUL == true {
            return AWSError("ValidationException", "The request carries the NUL character (U+0000): \(error).", status: 400)
        }
        return AWSError.unavailable(error, code: "ServiceUnavailable") ?? .internalFailure("\(error)")
    }
}
