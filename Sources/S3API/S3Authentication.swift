import AWSProtocol
import Foundation
import Hummingbird

/// SigV4 for S3 (s3-api.md §10.4): the daemon's auth mode applied with S3's canonical-URI rule (the path as
/// received), the payload hash taken from `X-Amz-Content-SHA256` (never a hash of the streamed body), and presigned
/// URLs (`X-Amz-Credential`, `X-Amz-Signature`, … in the query). SigV2 (`Authorization: AWS key:signature`, and
/// the `AWSAccessKeyId`/`Signature`/`Expires` query that botocore presigns by default) is accepted as signed in
/// `parse` mode and refused in `verify` mode, which checks SigV4 only. Failures are S3 errors (`AccessDenied`,
/// `SignatureDoesNotMatch`, …).
package struct S3Authentication: Sendable {
    let mode: AuthMode
    /// Must use `SigV4.PathStyle.s3`.
    let verifier: SigV4Verifier
    let defaultRegion: String

    package init(mode: AuthMode, verifier: SigV4Verifier, defaultRegion: String) {
        self.mode = mode
        self.verifier = verifier
        self.defaultRegion = defaultRegion
    }

    /// The longest validity of a presigned URL (7 days), as S3 allows.
    static let maximumPresignedExpiry = 7 * 24 * 3600

    /// - Returns: the request's region (its credential scope's, else the default).
    func authenticate(_ request: Request, now: Date = Date()) throws(S3Error) -> String {
        if Self.isSigV2(request) {
            guard mode != .verify else { throw S3Error.accessDenied("Signature Version 2 is not verified by Apiary; sign requests with SigV4.") }
            return defaultRegion
        }
        var headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        if let authority = request.head.authority { headers.append((name: "host", value: authority)) }
        let rawQuery = request.uri.query ?? ""
        let presigned = SigV4.presignedParameters(rawQuery)
        var signable = SignableRequest(method: request.method.rawValue, rawPath: request.uri.path, rawQuery: rawQuery, headers: headers)
        var signedAt = now
        if let presigned {
            signedAt = try presign(&signable, parameters: presigned, now: now)
        }
        do {
            return try mode.authenticate(signable, verifier: verifier, now: signedAt)?.region ?? defaultRegion
        } catch {
            throw S3Error(authentication: error)
        }
    }

    /// Rewrites a presigned request into the header form the verifier checks: the query's authorization as an
    /// `Authorization` header, `X-Amz-Signature` out of the canonical query, an unsigned payload.
    /// - Returns: the instant to check the signature at (its own date: expiry is checked here).
    private func presign(_ signable: inout SignableRequest, parameters: [String: String], now: Date) throws(S3Error) -> Date {
        let malformed = S3Error(
            "AuthorizationQueryParametersError",
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
        )
        guard parameters["X-Amz-Algorithm"] == SigV4.algorithm, let credential = parameters["X-Amz-Credential"], let date = parameters["X-Amz-Date"],
            let signedHeaders = parameters["X-Amz-SignedHeaders"], let signature = parameters["X-Amz-Signature"],
            let expires = parameters["X-Amz-Expires"].flatMap({ Int($0) }), (1...Self.maximumPresignedExpiry).contains(expires)
        else { throw malformed }
        signable.headers.append(
            (name: "authorization", value: "\(SigV4.algorithm) Credential=\(credential), SignedHeaders=\(signedHeaders), Signature=\(signature)")
        )
        signable.headers.append((name: "x-amz-date", value: date))
        signable.removeHeaders(named: "x-amz-content-sha256")
        signable.headers.append((name: "x-amz-content-sha256", value: "UNSIGNED-PAYLOAD"))
        signable.rawQuery = signable.rawQuery.split(separator: "&").filter { !$0.hasPrefix("X-Amz-Signature=") }.joined(separator: "&")
        guard let signedAt = SigV4.date(fromAmzDate: date) else { throw malformed }
        if mode == .verify && now > signedAt.addingTimeInterval(TimeInterval(expires)) {
            throw S3Error.accessDenied("Request has expired")
        }
        return signedAt
    }

    /// A SigV2 `Authorization` header, or a SigV2 presigned query.
    static func isSigV2(_ request: Request) -> Bool {
        if let authorization = request.headers[.authorization] { return authorization.hasPrefix("AWS ") }
        let names = Set((request.uri.query ?? "").split(separator: "&").map { $0.prefix { $0 != "=" } })
        return names.contains("AWSAccessKeyId") && names.contains("Signature")
    }
}
