/// Why a call to a daemon's S3 API (`RemoteObjectStore`) failed, other than a missing bucket or key
/// (`ObjectStoreError`).
public enum S3ClientError: Error, Equatable, CustomStringConvertible {
    /// No HTTP answer from `url`, after retries (connection refused, host unknown, timeout).
    case unreachable(url: String, reason: String)
    /// An S3 error answer (`InvalidAccessKeyId`, `SignatureDoesNotMatch`, `AccessDenied`, `InternalError`, …).
    case refused(status: Int, code: String, message: String)
    /// `url` answered, but not as Apiary (its `Server` header names something else).
    case notApiary(url: String, server: String)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason): "cannot reach \(url): \(reason)"
        case .refused(let status, let code, let message): "\(code) (HTTP \(status)): \(message)"
        case .notApiary(let url, let server): "\(url) is not Apiary (\(server))"
        }
    }

    /// Whether the answer says the signature's key pair is not one the daemon accepts.
    public var isCredentialError: Bool {
        guard case .refused(_, let code, _) = self else { return false }
        return ["InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidClientTokenId", "MissingAuthenticationToken"].contains(code)
    }
}
