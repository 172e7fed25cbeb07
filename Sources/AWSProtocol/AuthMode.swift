import Foundation

/// How strictly the daemon authenticates requests (spec §3.1).
public enum AuthMode: String, Sendable, CaseIterable {
    /// Accept anything, even no `Authorization` header; a well-formed one still supplies the region.
    case off
    /// Require a well-formed SigV4 header and take the region from it, without checking the signature.
    case parse
    /// Check the signature against the configured access-key → secret pairs.
    case verify

    /// `parse`: boto3 with any credentials works, and the region still comes from the request.
    public static let `default` = AuthMode.parse

    /// Authenticates `request` in this mode: its parsed authorization, or nil in `off` mode when it has no
    /// well-formed one.
    /// - Throws: in `parse` and `verify` mode, the errors of `SigV4Authorization.parse` (and
    ///   `MissingAuthenticationTokenException` without a header); in `verify` mode also those of `SigV4Verifier.verify`.
    public func authenticate(_ request: SignableRequest, verifier: SigV4Verifier, now: Date) throws(AWSError) -> SigV4Authorization? {
        switch self {
        case .off:
            guard let header = request.value(of: "Authorization") else { return nil }
            return try? SigV4Authorization.parse(authorizationHeader: header, amzDate: request.value(of: "X-Amz-Date"))
        case .parse:
            guard let header = request.value(of: "Authorization") else { throw SigV4Authorization.missingAuthenticationToken }
            return try SigV4Authorization.parse(authorizationHeader: header, amzDate: request.value(of: "X-Amz-Date"))
        case .verify:
            return try verifier.verify(request, now: now)
        }
    }
}
