import AWSProtocol

extension AWSError {
    /// An error an operation did not turn into an AWS error itself: `ServiceUnavailable` (503, which AWS clients
    /// retry) when the shared database did not answer — it is restarting or out of reach, and the call may go through
    /// when retried — else `InternalFailure` with the error's words.
    static func unexpected(_ error: any Error) -> AWSError {
        AWSError.unavailable(error, code: "ServiceUnavailable") ?? .internalFailure("\(error)")
    }
}
