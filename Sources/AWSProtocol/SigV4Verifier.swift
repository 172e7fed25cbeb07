import Foundation

/// Checks SigV4 signatures against configured access-key → secret pairs (spec §3.2), for the `verify` auth mode.
public struct SigV4Verifier: Sendable {
    /// Secret access keys by access key id.
    public var credentials: [String: String]
    /// How the canonical URI is formed: `.standard` for every service but S3.
    public var pathStyle: SigV4.PathStyle
    /// The largest accepted difference between `X-Amz-Date` and the verifier's clock.
    public static let maximumClockSkew: TimeInterval = 15 * 60

    public init(credentials: [String: String], pathStyle: SigV4.PathStyle = .standard) {
        self.credentials = credentials
        self.pathStyle = pathStyle
    }

    /// Verifies `request`'s signature at time `now` and returns its parsed authorization.
    /// - Throws: `MissingAuthenticationTokenException` (403) without an `Authorization` header;
    ///   `IncompleteSignatureException` (400) when it is malformed; `UnrecognizedClientException` (403) for an
    ///   unknown access key; `InvalidSignatureException` (403) when `X-Amz-Date` is more than 15 minutes from
    ///   `now` or the signature does not match (the message then shows the canonical request and string to sign
    ///   the daemon computed, as AWS does).
    @discardableResult
    public func verify(_ request: SignableRequest, now: Date) throws(AWSError) -> SigV4Authorization {
        guard let header = request.value(of: "Authorization") else { throw SigV4Authorization.missingAuthenticationToken }
        let authorization = try SigV4Authorization.parse(authorizationHeader: header, amzDate: request.value(of: "X-Amz-Date"))
        guard let secret = credentials[authorization.accessKeyId] else {
            throw AWSError("UnrecognizedClientException", "The security token included in the request is invalid.", status: 403)
        }
        try checkClock(authorization, now: now)
        let computed = SigV4.compute(request, authorization: authorization, secret: secret, pathStyle: pathStyle)
        guard Self.constantTimeEquals(Array(computed.signature.utf8), Array(authorization.signature.utf8)) else {
            throw Self.invalidSignature(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
                    + "Access Key and signing method. Consult the service documentation for details.\n\n"
                    + "The Canonical String for this request should have been\n'\(computed.canonicalRequest)'\n\n"
                    + "The String-to-Sign should have been\n'\(computed.stringToSign)'\n"
            )
        }
        return authorization
    }

    private func checkClock(_ authorization: SigV4Authorization, now: Date) throws(AWSError) {
        let signed = authorization.requestTime
        let skew = Self.maximumClockSkew
        if signed < now.addingTimeInterval(-skew) {
            throw Self.invalidSignature(
                "Signature expired: \(authorization.amzDate) is now earlier than \(SigV4.amzDate(now.addingTimeInterval(-skew))) "
                    + "(\(SigV4.amzDate(now)) - 15 min.)"
            )
        }
        if signed > now.addingTimeInterval(skew) {
            throw Self.invalidSignature(
                "Signature not yet current: \(authorization.amzDate) is still later than \(SigV4.amzDate(now.addingTimeInterval(skew))) "
                    + "(\(SigV4.amzDate(now)) + 15 min.)"
            )
        }
    }

    private static func invalidSignature(_ message: String) -> AWSError {
        AWSError("InvalidSignatureException", message, status: 403)
    }

    /// Equality whose running time depends only on the lengths, not on where the bytes differ.
    private static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
