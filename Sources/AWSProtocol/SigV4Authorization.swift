import Foundation

/// A parsed SigV4 `Authorization` header (spec §3.1):
/// `AWS4-HMAC-SHA256 Credential=<AKID>/<yyyymmdd>/<region>/<service>/aws4_request, SignedHeaders=<h1>;<h2>, Signature=<hex>`,
/// together with the request's `X-Amz-Date`.
public struct SigV4Authorization: Sendable, Equatable {
    public var accessKeyId: String
    /// The credential scope's date, `yyyymmdd`.
    public var date: String
    /// The credential scope's region: the request's "current region".
    public var region: String
    /// The credential scope's service (signing name), e.g. `sagemaker` for both SageMaker APIs, `s3`, `logs`.
    public var service: String
    /// The signed header names exactly as listed (lowercase and sorted when the client follows the spec).
    public var signedHeaders: [String]
    public var signature: String
    /// The request's `X-Amz-Date`, e.g. `20261129T144317Z`.
    public var amzDate: String

    /// `<date>/<region>/<service>/aws4_request`.
    public var credentialScope: String { "\(date)/\(region)/\(service)/aws4_request" }

    /// The `Authorization` header value this authorization is written as.
    public var headerValue: String {
        "\(SigV4.algorithm) Credential=\(accessKeyId)/\(credentialScope), SignedHeaders=\(signedHeaders.joined(separator: ";")), "
            + "Signature=\(signature)"
    }

    /// The instant `amzDate` names (`parse` has checked its form).
    public var requestTime: Date { SigV4.date(fromAmzDate: amzDate)! }

    /// The error for a request without an `Authorization` header where one is required.
    public static let missingAuthenticationToken = AWSError("MissingAuthenticationTokenException", "Missing Authentication Token", status: 403)

    /// Parses an `Authorization` header value and the request's `X-Amz-Date` (nil when the request has none).
    /// - Throws: `IncompleteSignatureException` (400) when the header is malformed, a part is missing, the
    ///   credential scope is not `<AKID>/<yyyymmdd>/<region>/<service>/aws4_request`, `X-Amz-Date` is missing or
    ///   not ISO-8601 basic format, or the scope's date is not `X-Amz-Date`'s.
    public static func parse(authorizationHeader: String, amzDate: String?) throws(AWSError) -> SigV4Authorization {
        let header = authorizationHeader.trimmingCharacters(in: .whitespaces)
        let scheme = header.prefix { $0 != " " }
        guard scheme == SigV4.algorithm else {
            throw incomplete("Authorization header must use the \(SigV4.algorithm) algorithm, not '\(scheme)'. Authorization=\(header)")
        }
        var parameters: [String: String] = [:]
        for item in header.dropFirst(scheme.count).split(separator: ",") {
            let item = item.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { continue }
            guard let equals = item.firstIndex(of: "=") else {
                let hashed = Data(Digest.sha256(header.utf8)).base64EncodedString()
                throw incomplete(
                    "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with sha-256 and encoded with base64): '\(hashed)'."
                )
            }
            parameters[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }

        var missing = ["Credential", "Signature", "SignedHeaders"].filter { parameters[$0] == nil }
            .map { "Authorization header requires '\($0)' parameter." }
        if amzDate == nil { missing.append("Authorization header requires existence of a 'X-Amz-Date' header.") }
        guard missing.isEmpty, let credential = parameters["Credential"], let signedHeaders = parameters["SignedHeaders"],
            let signature = parameters["Signature"], let amzDate
        else {
            throw incomplete((missing + ["Authorization=\(header)"]).joined(separator: " "))
        }

        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, !scope[0..<4].contains(where: \.isEmpty) else {
            throw incomplete(
                "Credential should be of the form <AccessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request, not '\(credential)'."
            )
        }
        guard scope[4] == "aws4_request" else {
            throw incomplete("Credential should be scoped with a valid terminator: 'aws4_request', not '\(scope[4])'.")
        }
        guard SigV4.date(fromAmzDate: amzDate) != nil else {
            throw incomplete("Date must be in ISO-8601 'basic format'. Got '\(amzDate)'. See http://en.wikipedia.org/wiki/ISO_8601")
        }
        guard amzDate.hasPrefix(scope[1]), scope[1].count == 8 else {
            throw incomplete(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + "'\(scope[1])' != '\(amzDate.prefix(8))', from '\(amzDate)'."
            )
        }
        return SigV4Authorization(
            accessKeyId: scope[0],
            date: scope[1],
            region: scope[2],
            service: scope[3],
            signedHeaders: signedHeaders.split(separator: ";", omittingEmptySubsequences: false).map(String.init),
            signature: signature,
            amzDate: amzDate
        )
    }

    private static func incomplete(_ message: String) -> AWSError {
        AWSError("IncompleteSignatureException", message, status: 400)
    }
}
