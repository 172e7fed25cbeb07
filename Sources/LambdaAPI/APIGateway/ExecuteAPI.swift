import AWSHTTP
import AWSProtocol
import ControlPlane
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// Calls to deployed REST APIs (spec §4–5), unauthenticated, on three URL forms: `/_aws/execute-api/{id}/{stage}/…`,
/// `/restapis/{id}/{stage}/_user_request_/…` and `Host: {id}.execute-api.…` + `/{stage}/…`. Matches the stage's
/// frozen resource tree, sends the Lambda proxy event (payload format 1.0) and turns the proxy response into
/// HTTP, with AWS's 403/413/502/504 answers.
package struct ExecuteAPI: Sendable {
    let store: ControlPlaneStore
    let lambda: LambdaService
    let account: String
    let logger: Logger

    package init(store: ControlPlaneStore, lambda: LambdaService, account: String, logger: Logger) {
        self.store = store
        self.lambda = lambda
        self.account = account
        self.logger = logger
    }

    /// API Gateway's request body limit.
    package static let maximumBody = 10 * 1024 * 1024
    static let pathPrefix = "/_aws/execute-api/"

    /// A call to a deployed API: which API, stage, and resource path (starting with `/`).
    package struct Target {
        var apiID: String
        var stage: String
        var path: String
    }

    /// The deployed-API call `request` makes, if it is one.
    package static func target(of request: Request) -> Target? {
        let path = request.uri.path
        if path.hasPrefix(pathPrefix) {
            let parts = path.dropFirst(pathPrefix.count).split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            return Target(apiID: String(parts[0]), stage: String(parts[1]), path: "/" + (parts.count > 2 ? parts[2] : ""))
        }
        if path.hasPrefix("/restapis/"), let marker = path.range(of: "/_user_request_") {
            let parts = path[path.index(path.startIndex, offsetBy: "/restapis/".count)..<marker.lowerBound].split(separator: "/")
            guard parts.count == 2 else { return nil }
            let rest = path[marker.upperBound...]
            return Target(apiID: String(parts[0]), stage: String(parts[1]), path: rest.isEmpty ? "/" : String(rest))
        }
        if let host = request.head.authority, let dot = host.range(of: ".execute-api.") {
            let id = host[..<dot.lowerBound]
            let parts = path.dropFirst().split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard id.count == 10, let stage = parts.first, !stage.isEmpty else { return nil }
            return Target(apiID: String(id), stage: String(stage), path: "/" + (parts.count > 1 ? parts[1] : ""))
        }
        return nil
    }

    package func respond(to request: Request, target: Target, body: [UInt8]?, requestID: String) async -> Response {
        guard let body else { return Self.answer(413, "Request Too Long", requestID: requestID) }
        let found: ResourceRecord?
        do {
            found = try store.resource(.restAPI, named: target.apiID)
        } catch {
            // The database did not answer: a 503 the caller may retry, not a 403 that says the API is not there.
            logger.warning("execute-api: the API cannot be read", metadata: ["api": "\(target.apiID)", "error": "\(error)"])
            return (error as? any ServiceUnavailability)?.unavailability != nil
                ? Self.answer(503, "Service Unavailable", code: "ServiceUnavailableException", requestID: requestID)
                : Self.answer(500, "Internal server error", code: "InternalServerErrorException", requestID: requestID)
        }
        guard let record = found else { return Self.answer(403, "Forbidden", requestID: requestID) }
        let api = RestAPI(document: record.document)
        guard let deploymentID = api.stages[target.stage]?["deploymentId"]?.stringValue,
            let snapshot = api.deployments[deploymentID]?["snapshot"]
        else { return Self.answer(403, "Forbidden", requestID: requestID) }
        let resources = snapshot["resources"]?.objectValue ?? [:]
        let binaryTypes = snapshot["binaryMediaTypes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let verb = request.method.rawValue
        guard let matched = Self.match(target.path, in: resources),
            let method = matched.resource["resourceMethods"]?[verb] ?? matched.resource["resourceMethods"]?["ANY"]
        else {
            return Self.answer(403, "Missing Authentication Token", code: "MissingAuthenticationTokenException", requestID: requestID)
        }
        guard let integration = method["methodIntegration"], integration["type"]?.stringValue == "AWS_PROXY",
            let functionARN = integration["uri"]?.stringValue.flatMap(RestAPIService.functionARN)
        else {
            logger.warning("execute-api: only AWS_PROXY integrations to Lambda are served", metadata: ["api": "\(target.apiID)"])
            return Self.answer(500, "Internal server error", code: "InternalServerErrorException", requestID: requestID)
        }
        let event = Self.event(
            request, target: target, resource: matched.resource, parameters: matched.parameters, body: body, binary: RestAPI.isBinary(request.headers[.contentType], binaryTypes),
            deploymentID: deploymentID, account: account, requestID: requestID)
        let timeout = min(integration["timeoutInMillis"]?.intValue ?? 29000, 29000)
        guard let result = await Self.withTimeout(milliseconds: timeout, { try? await lambda.invoke(arn: functionARN, payload: event.renderedBytes) }) else {
            return Self.answer(504, "Endpoint request timed out", requestID: requestID)
        }
        guard let result, !result.functionError, let response = Self.proxyResponse(result.payload, binaryTypes: binaryTypes, accept: request.headers[.accept], requestID: requestID)
        else {
            logger.warning(
                "execute-api: Execution failed due to configuration error: Malformed Lambda proxy response or function error",
                metadata: ["api": "\(target.apiID)", "function": "\(functionARN)"])
            return Self.answer(502, "Internal server error", code: "InternalServerErrorException", requestID: requestID)
        }
        return response
    }

    /// The resource `path` selects: a literal segment beats `{param}`, which beats `{proxy+}`. - Returns: it and
    /// its path parameters.
    static func match(_ path: String, in resources: [String: JSONValue]) -> (resource: JSONValue, parameters: [String: String])? {
        let segments = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        var children: [String: [JSONValue]] = [:]
        var root: JSONValue?
        for resource in resources.values {
            if let parent = resource["parentId"]?.stringValue { children[parent, default: []].append(resource) } else { root = resource }
        }
        func walk(_ node: JSONValue, _ index: Int, _ parameters: [String: String]) -> (resource: JSONValue, parameters: [String: String])? {
            if index == segments.count { return (node, parameters) }
            let candidates = children[node["id"]?.stringValue ?? ""] ?? []
            func rank(_ part: String) -> Int { part.hasSuffix("+}") ? 2 : part.hasPrefix("{") ? 1 : 0 }
            for child in candidates.sorted(by: { rank($0["pathPart"]?.stringValue ?? "") < rank($1["pathPart"]?.stringValue ?? "") }) {
                let part = child["pathPart"]?.stringValue ?? ""
                var parameters = parameters
                switch rank(part) {
                case 0 where part == segments[index]:
                    if let found = walk(child, index + 1, parameters) { return found }
                case 1:
                    parameters[String(part.dropFirst().dropLast())] = segments[index]
                    if let found = walk(child, index + 1, parameters) { return found }
                case 2:
                    parameters[String(part.dropFirst().dropLast(2))] = segments[index...].joined(separator: "/")
                    return (child, parameters)
                default: continue
                }
            }
            return nil
        }
        return root.flatMap { walk($0, 0, [:]) }
    }

    /// The Lambda proxy integration event (payload format 1.0), spec §5.1.
    static func event(
        _ request: Request, target: Target, resource: JSONValue, parameters: [String: String], body: [UInt8], binary: Bool, deploymentID: String,
        account: String, requestID: String
    ) -> JSONValue {
        let host = request.head.authority ?? "localhost"
        var single: [String: JSONValue] = [:]
        var multiple: [String: [JSONValue]] = [:]
        let trace = "Root=1-\(String(Int(Date().timeIntervalSince1970), radix: 16))-\(RestAPI.newID(24))"
        let port = host.split(separator: ":").last.flatMap { Int($0) }.map(String.init) ?? "80"
        var fields = request.headers.filter { ![.contentLength, .connection].contains($0.name) }.map { ($0.name.rawName, $0.value) }
        fields += [("Host", host), ("X-Amzn-Trace-Id", trace), ("X-Forwarded-For", "127.0.0.1"), ("X-Forwarded-Port", port), ("X-Forwarded-Proto", "http")]
        for (name, value) in fields {
            let canonical = name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
            single[canonical] = .string(value)
            multiple[canonical, default: []].append(.string(value))
        }
        var query: [String: JSONValue] = [:]
        var multiQuery: [String: [JSONValue]] = [:]
        for item in (request.uri.query ?? "").split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            query[pair[0]] = .string(pair.count > 1 ? pair[1] : "")
            multiQuery[pair[0], default: []].append(.string(pair.count > 1 ? pair[1] : ""))
        }
        let resourcePath = resource["path"] ?? "/"
        let now = Date()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss Z"
        let userAgent = request.headers[.userAgent].map(JSONValue.string) ?? .null
        let body: JSONValue =
            body.isEmpty ? .null : binary ? .string(Data(body).base64EncodedString()) : .string(String(decoding: body, as: UTF8.self))
        return [
            "resource": resourcePath, "path": .string(target.path), "httpMethod": .string(request.method.rawValue),
            "headers": .object(single), "multiValueHeaders": .object(multiple.mapValues(JSONValue.array)),
            "queryStringParameters": query.isEmpty ? .null : .object(query),
            "multiValueQueryStringParameters": multiQuery.isEmpty ? .null : .object(multiQuery.mapValues(JSONValue.array)),
            "pathParameters": parameters.isEmpty ? .null : .object(parameters.mapValues(JSONValue.string)), "stageVariables": .null,
            "requestContext": [
                "resourceId": resource["id"] ?? .null, "resourcePath": resourcePath, "httpMethod": .string(request.method.rawValue),
                "extendedRequestId": .string(Data(requestID.utf8.prefix(12)).base64EncodedString()), "requestTime": .string(formatter.string(from: now)),
                "path": .string("/\(target.stage)\(target.path)"), "accountId": .string(account), "protocol": "HTTP/1.1", "stage": .string(target.stage),
                "domainPrefix": .string(target.apiID), "requestTimeEpoch": .int(Int(now.timeIntervalSince1970 * 1000)), "requestId": .string(requestID),
                "identity": [
                    "cognitoIdentityPoolId": .null, "accountId": .null, "cognitoIdentityId": .null, "caller": .null, "sourceIp": "127.0.0.1",
                    "principalOrgId": .null, "accessKey": .null, "cognitoAuthenticationType": .null, "cognitoAuthenticationProvider": .null,
                    "userArn": .null, "userAgent": userAgent, "user": .null,
                ],
                "domainName": .string(host), "deploymentId": .string(deploymentID), "apiId": .string(target.apiID),
            ],
            "body": body, "isBase64Encoded": .bool(binary && !body.isNull),
        ]
    }

    /// The HTTP response a Lambda proxy response describes (spec §5.3). - Returns: nil when it is malformed.
    static func proxyResponse(_ payload: [UInt8], binaryTypes: [String], accept: String?, requestID: String) -> Response? {
        guard let value = try? JSONValue.parse(payload), let members = value.objectValue,
            Set(members.keys).isSubset(of: ["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"])
        else { return nil }
        let status: Int
        switch members["statusCode"] {
        case nil: status = 200
        case .string(let text)?: guard let code = Int(text) else { return nil }; status = code
        case let code?: guard let number = code.intValue else { return nil }; status = number
        }
        guard (100...599).contains(status) else { return nil }
        var headers = HTTPFields()
        for (name, value) in members["headers"]?.objectValue ?? [:] {
            guard let field = HTTPField.Name(name), let text = Self.text(value) else { return nil }
            headers.append(HTTPField(name: field, value: text))
        }
        for (name, values) in members["multiValueHeaders"]?.objectValue ?? [:] {
            guard let field = HTTPField.Name(name), let list = values.arrayValue else { return nil }
            for value in list {
                guard let text = Self.text(value) else { return nil }
                headers.append(HTTPField(name: field, value: text))
            }
        }
        var body: [UInt8] = Array((members["body"].flatMap(Self.text) ?? "").utf8)
        let firstAccept = accept?.split(separator: ",").first.map(String.init)
        if members["isBase64Encoded"]?.boolValue == true, RestAPI.isBinary(firstAccept, binaryTypes) {
            guard let decoded = Data(base64Encoded: String(decoding: body, as: UTF8.self)) else { return nil }
            body = Array(decoded)
        }
        if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        headers[.contentLength] = String(body.count)
        headers[AWSResponses.requestIDHeader] = requestID
        headers[HTTPField.Name("x-amz-apigw-id")!] = RestAPI.newID(16)
        return Response(status: .init(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .int, .double: value.rendered()
        case .null: ""
        default: nil
        }
    }

    private static func answer(_ status: Int, _ message: String, code: String? = nil, requestID: String) -> Response {
        var response = AWSResponses.response(
            status: status, contentType: "application/json", body: (["message": .string(message)] as JSONValue).renderedBytes, requestID: requestID)
        if let code { response.headers[AWSResponses.errorTypeHeader] = code }
        return response
    }

    /// `work`'s result, or nil when `milliseconds` pass first (the work still runs to its end).
    private static func withTimeout<T: Sendable>(milliseconds: Int, _ work: @escaping @Sendable () async -> T) async -> T? {
        let once = Mutex<CheckedContinuation<T?, Never>?>(nil)
        return await withCheckedContinuation { continuation in
            once.withLock { $0 = continuation }
            let finish: @Sendable (T?) -> Void = { value in once.withLock { $0.take() }?.resume(returning: value) }
            Task { finish(await work()) }
            Task {
                try? await Task.sleep(for: .milliseconds(milliseconds))
                finish(nil)
            }
        }
    }
}

extension JSONValue {
    var isNull: Bool { if case .null = self { true } else { false } }
}
