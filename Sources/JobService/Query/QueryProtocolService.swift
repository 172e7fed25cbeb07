import AWSProtocol
import S3API

/// Calls in AWS's query protocol (form-encoded `Action=…&Version=…`, XML answers): STS and IAM, which notebooks
/// reach for before any SageMaker call. `sts get-caller-identity` answers with the daemon's account (notebooks read
/// the account id from it to build image URIs and bucket names); every other action answers an error in the query
/// protocol's XML, so the aws CLI and botocore report it instead of "invalid XML".
struct QueryProtocolService: Sendable {
    let account: String

    /// Whether a request without `X-Amz-Target` is a query-protocol call: a form body (or query string) with `Action`.
    static func action(body: [UInt8], query: String?) -> [String: String]? {
        let text = body.isEmpty ? (query ?? "") : String(decoding: body, as: UTF8.self)
        var parameters: [String: String] = [:]
        for item in text.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            parameters[pair[0]] = pair.count > 1 ? pair[1] : ""
        }
        return parameters["Action"] == nil ? nil : parameters
    }

    /// The XML answer (status, body) for `parameters` signed for `service`.
    func respond(service: String?, parameters: [String: String], requestID: String) -> (status: Int, body: String) {
        let action = parameters["Action"] ?? ""
        let namespace = Self.namespace(service: service, version: parameters["Version"])
        guard service == "sts", action == "GetCallerIdentity" else {
            let name = service ?? "this service"
            return Self.error(
                "InvalidAction",
                "Apiary does not serve \(name) \(action): it emulates SageMaker, S3, CloudWatch Logs and metrics, Lambda, API Gateway "
                    + "and STS GetCallerIdentity (see docs/api.md).",
                namespace: namespace,
                requestID: requestID
            )
        }
        let body = """
            <GetCallerIdentityResponse xmlns="\(namespace)">
              <GetCallerIdentityResult>
                <Arn>arn:aws:iam::\(account):root</Arn>
                <UserId>\(account)</UserId>
                <Account>\(account)</Account>
              </GetCallerIdentityResult>
              <ResponseMetadata>
                <RequestId>\(requestID)</RequestId>
              </ResponseMetadata>
            </GetCallerIdentityResponse>
            """
        return (200, body)
    }

    /// The query protocol's error document, which botocore's query parser reads (`Error/Code`, `Error/Message`).
    static func error(_ code: String, _ message: String, namespace: String, requestID: String) -> (status: Int, body: String) {
        let body = """
            <ErrorResponse xmlns="\(namespace)">
              <Error>
                <Type>Sender</Type>
                <Code>\(code)</Code>
                <Message>\(S3XMLWriter.escape(message))</Message>
              </Error>
              <RequestId>\(requestID)</RequestId>
            </ErrorResponse>
            """
        return (400, body)
    }

    private static func namespace(service: String?, version: String?) -> String {
        "https://\(service ?? "sts").amazonaws.com/doc/\(version ?? "2011-06-15")/"
    }
}
