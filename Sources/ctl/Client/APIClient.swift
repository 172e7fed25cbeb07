import EndpointRuntime
import AWSProtocol
import Foundation
import JobService

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// ctl's client for the daemon: AWS JSON 1.1 calls (`X-Amz-Target`), SigV4-signed like botocore signs them,
/// so ctl exercises exactly the path boto3 and the aws CLI take.
struct APIClient {
    let endpoint: URL
    /// Where `endpoint` came from (`--endpoint-url`, `$APIARY_URL`, …), named when it turns out wrong.
    let endpointSource: String
    let region: String
    let accessKeyID: String
    let secretAccessKey: String

    /// From `--endpoint-url` / `--region`, else `APIARY_URL` or `AWS_ENDPOINT_URL`, `AWS_REGION` or
    /// `AWS_DEFAULT_REGION`, `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`; defaults suit a local daemon.
    init(endpointURL: String?, region: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let (url, source) =
            endpointURL.map { ($0, "--endpoint-url") } ?? environment["APIARY_URL"].map { ($0, "$APIARY_URL") }
            ?? environment["AWS_ENDPOINT_URL"].map { ($0, "$AWS_ENDPOINT_URL") } ?? ("http://127.0.0.1:4566", "the default URL")
        guard let endpoint = URL(string: url), endpoint.scheme == "http" || endpoint.scheme == "https", endpoint.host != nil else {
            throw CLIError("\(source) must be an http(s) URL such as http://127.0.0.1:4566, got '\(url)'", exitCode: 64)
        }
        self.endpoint = endpoint
        endpointSource = source
        let credentials = ClientCredentials(environment: environment, region: region)
        (self.region, accessKeyID, secretAccessKey) = (credentials.region, credentials.accessKeyID, credentials.secretAccessKey)
    }

    /// The `Host` header SigV4 signs: host and non-default port.
    var hostHeader: String { endpoint.port.map { "\(endpoint.host!):\($0)" } ?? endpoint.host! }

    /// Calls `<prefix>.<operation>` (e.g. `SageMaker.DescribeTrainingJob`).
    /// - Throws: `ResourceNotFound` when a resource it names does not exist, `APICallError` for another AWS error
    ///   answer, `CLIError` when the daemon cannot be reached.
    func call(_ target: String, _ input: JSONValue = [:], service: String = "sagemaker") async throws -> JSONValue {
        try await answer(target, input, service: service).json
    }

    /// `call`, with the answer's bytes as the daemon sent them (what `--json` prints).
    func answer(_ target: String, _ input: JSONValue = [:], service: String = "sagemaker") async throws -> (json: JSONValue, bytes: Data) {
        let (data, response) = try await signed(
            "POST", "/", headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", target)], body: input.renderedBytes,
            service: service)
        let status = response.statusCode
        let json = (try? JSONValue.parse(data)) ?? [:]
        guard status == 200 else {
            let type = json["__type"]?.stringValue ?? "HTTP \(status)"
            let code = String(type.split(separator: "#").last ?? Substring(type))
            throw await notFound(APICallError(code: code, message: json["message"]?.stringValue ?? json["Message"]?.stringValue ?? ""), request: input)
        }
        return (json, data)
    }

    /// A rest-json call (Lambda, API Gateway): `method` on `path` with `input` as the JSON body.
    /// - Throws: `APICallError` (code from `x-amzn-ErrorType`) for an error answer.
    func rest(_ method: String, _ path: String, _ input: JSONValue? = nil, service: String) async throws -> JSONValue {
        let (data, response) = try await signed(
            method, path, headers: [("Content-Type", "application/json"), ("Accept", "application/json")], body: input?.renderedBytes ?? [],
            service: service)
        try Self.check(data, response)
        return (try? JSONValue.parse(data)) ?? [:]
    }

    /// Signs a request the way botocore does and sends it. - Throws: `CLIError` when the daemon cannot be reached.
    /// - Parameters:
    ///   - path: percent-encoded; `query` likewise, without the `?`.
    ///   - pathStyle: `.s3` for S3, whose canonical path is the path as sent.
    func signed(
        _ method: String, _ path: String, query: String = "", headers: [(String, String)], body: [UInt8], service: String,
        pathStyle: SigV4.PathStyle = .standard
    ) async throws -> (data: Data, response: HTTPURLResponse) {
        let signed = SigV4Signer(accessKeyId: accessKeyID, secretAccessKey: secretAccessKey, region: region, service: service, pathStyle: pathStyle)
            .sign(SignableRequest(method: method, rawPath: path, rawQuery: query, headers: headers + [("Host", hostHeader)], body: body), date: Date())
        var request = URLRequest(url: URL(string: endpoint.absoluteString.trimmingSuffix("/") + path + (query.isEmpty ? "" : "?" + query))!)
        request.httpMethod = method
        for (name, value) in signed.headers where name != "Host" { request.setValue(value, forHTTPHeaderField: name) }
        if !body.isEmpty { request.httpBody = Data(body) }
        return try await send(request)
    }

    /// Throws the rest-json error an answer carries (`x-amzn-ErrorType`, `{"message"}`), if any.
    private static func check(_ data: Data, _ http: HTTPURLResponse) throws {
        guard !(200..<300).contains(http.statusCode) else { return }
        let json = (try? JSONValue.parse(data)) ?? [:]
        let code = http.value(forHTTPHeaderField: "x-amzn-ErrorType") ?? "HTTP \(http.statusCode)"
        throw APICallError(code: code, message: json["message"]?.stringValue ?? "")
    }
}

extension APIClient {
    /// The runtime's InvokeEndpoint (rest-json): the payload in, the model's answer and its variant out.
    func invoke(endpoint: String, body: [UInt8], contentType: String) async throws -> (body: Data, variant: String) {
        let (data, http) = try await signed(
            "POST", "/endpoints/\(endpoint)/invocations", headers: [("Content-Type", contentType), ("Accept", "application/json")], body: body,
            service: "sagemaker")
        do {
            try Self.check(data, http)
        } catch let error as APICallError {
            throw await notFound(error, request: ["EndpointName": .string(endpoint)])
        }
        return (data, http.value(forHTTPHeaderField: "x-Amzn-Invoked-Production-Variant") ?? "")
    }

    /// An endpoint's serving figures (`GET /_apiary/endpoints/{name}/metrics`, JSON; endpoint names need no escaping).
    func endpointFigures(_ name: String) async throws -> EndpointFigures {
        let (data, http) = try await signed("GET", "/_apiary/endpoints/\(name)/metrics", headers: [], body: [], service: "sagemaker")
        try Self.check(data, http)
        return try JSONDecoder().decode(EndpointFigures.self, from: data)
    }

    /// Sends a request. - Throws: `CLIError` (exit 69) when the daemon cannot be reached, or what answers is not
    /// Apiary (its `Server` header says so) — both name the URL and where it came from.
    fileprivate func send(_ request: URLRequest) async throws -> (data: Data, response: HTTPURLResponse) {
        let answer: (Data, URLResponse)
        do {
            answer = try await URLSession.shared.data(for: request)
        } catch {
            throw CLIError(
                "cannot reach Apiary at \(endpoint.absoluteString) (\(endpointSource)): \(error.localizedDescription). "
                    + "Is `ctl serve` running there? Fix \(endpointSource) or pass --endpoint-url", exitCode: 69)
        }
        guard let http = answer.1 as? HTTPURLResponse, http.value(forHTTPHeaderField: "Server")?.hasPrefix("Apiary") == true else {
            let server = (answer.1 as? HTTPURLResponse).map { "HTTP \($0.statusCode) from \($0.value(forHTTPHeaderField: "Server") ?? "an unnamed server")" }
            throw CLIError(
                "\(endpoint.absoluteString) (\(endpointSource)) is not Apiary (\(server ?? "no HTTP answer")). "
                    + "Fix \(endpointSource) to the URL `ctl serve` printed, or pass --endpoint-url", exitCode: 69)
        }
        return (answer.0, http)
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}

/// An AWS error answer, printed as `error: <Code>: <message>`.
struct APICallError: Error, CustomStringConvertible {
    var code: String
    var message: String
    var description: String { "\(code): \(message)" }
}
