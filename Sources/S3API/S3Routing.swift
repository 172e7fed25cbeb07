import AWSProtocol
import HTTPTypes
import Hummingbird

/// Which requests on the daemon's one port are S3's (s3-api.md §10.2, rules R4–R5): those signed for the `s3`
/// service (the `Authorization` header's credential scope, or a presigned URL's `X-Amz-Credential`), SigV2-signed
/// ones (header or presigned query), and unsigned ones that are not another service's (no `X-Amz-Target`, not the runtime's `/endpoints/` nor the
/// `/moto-api/` test hooks). Decided from the head alone, before any body is read.
package enum S3Routing {
    static let targetHeader = HTTPField.Name("X-Amz-Target")!

    package static func claims(_ request: Request) -> Bool {
        if S3Authentication.isSigV2(request) { return true }
        if let authorization = request.headers[.authorization] { return signingService(authorization) == "s3" }
        if let parameters = SigV4.presignedParameters(request.uri.query ?? "") {
            return parameters["X-Amz-Credential"]?.split(separator: "/", omittingEmptySubsequences: false).dropFirst(3).first == "s3"
        }
        let path = request.uri.path
        return request.headers[targetHeader] == nil && !path.hasPrefix("/endpoints/") && !path.hasPrefix("/moto-api/")
    }

    /// The service of `Credential=<key>/<date>/<region>/<service>/aws4_request`, or nil.
    private static func signingService(_ authorization: String) -> Substring? {
        guard let start = authorization.range(of: "Credential=")?.upperBound else { return nil }
        let credential = authorization[start...].prefix { $0 != "," && $0 != " " }
        return credential.split(separator: "/", omittingEmptySubsequences: false).dropFirst(3).first
    }
}
