import AWSHTTP
import AWSProtocol
import EndpointRuntime
import Foundation
import HTTPTypes
import Hummingbird
import LambdaAPI
import Logging
import S3API
import SageMakerAPI

/// The daemon's one port: authenticates every request (SigV4), picks the service the way the specs say
/// (S3 by signing scope, before any body is read; JSON 1.1 `X-Amz-Target` for SageMaker and CloudWatch Logs, JSON 1.0
/// for CloudWatch metrics; form-encoded `Action=` bodies for the query protocol (STS, IAM); the
/// runtime's `/endpoints/{name}/…` paths; the credential scope's service or the path for Lambda and API Gateway, whose
/// deployed APIs answer unsigned calls) and
/// answers in that service's protocol; unsigned requests under `/label/` are the labeling UI's (`LabelUI`), the only
/// HTML this port serves besides the sign-in form. `EdgeDoor` comes first for every surface. Nothing here drops a
/// connection on bad input; an answer given before a body was read ends the connection after it.
struct EdgeResponder: HTTPResponder {
    typealias Context = EdgeRequestContext

    /// The largest body read: the runtime's 6 MiB payload limit with room for encoding.
    static let maximumBodySize = 8 * 1024 * 1024

    let sageMaker: SageMakerService
    let logs: LogsService
    let metrics: MetricsService
    let query: QueryProtocolService
    let runtime: InvocationHandler
    let s3: S3Service
    let lambda: LambdaService
    let restAPIs: RestAPIService
    let executeAPI: ExecuteAPI
    let labelUI: LabelUI
    let labelAPI: LabelAPI
    let authenticator: EdgeAuthenticator
    let door: EdgeDoor
    let account: String
    /// `POST /moto-api/reset` wipes all state (moto's test-suite hook); nil unless `--test-hooks`.
    let reset: (@Sendable () throws -> Void)?
    let logger: Logger

    func respond(to request: Request, context: Context) async throws -> Response {
        let requestID = UUID().uuidString.lowercased()
        let path = request.uri.path
        if let problem = door.hosts.hostProblem(request.head.authority) {
            return EdgeDoor.refusal(request, problem, status: 403, requestID: requestID)
        }
        if path == BrowserSessions.path { return await door.sessions.respond(to: request) }
        if EdgeDoor.isUnsigned(request), !(path.hasPrefix(LambdaService.codePrefix) && LambdaService.isCodeLink(request)),
            let problem = door.unsignedProblem(request, peer: context.peer)
        {
            // A browser opening the UI under --auth verify gets the sign-in form.
            if authenticator.mode == .verify && LabelUI.claims(request) && request.method == .get && !path.hasPrefix(LabelUI.prefix + "/api/") {
                return BrowserSessions.page(status: .unauthorized, next: path, problem: nil)
            }
            return EdgeDoor.refusal(request, problem, status: authenticator.mode == .verify ? 401 : 403, requestID: requestID)
        }
        if path.hasPrefix("/moto-api/") { return testHook(path, request: request, requestID: requestID) }
        if path == "/metrics" && request.method == .get { return metricsText(request, requestID: requestID) }
        if path.hasPrefix(Self.figuresPrefix) { return endpointFigures(request, requestID: requestID) }
        if path.hasPrefix(LambdaService.codePrefix) && request.method == .get { return lambda.package(path: path, requestID: requestID) }
        if path.hasPrefix(LabelAPI.prefix) { return await labelAPI.respond(to: request, authenticator: authenticator, requestID: requestID) }
        if LabelUI.claims(request) { return await labelUI.respond(to: request) }
        if let target = ExecuteAPI.target(of: request) {
            let body = try? await request.body.collect(upTo: ExecuteAPI.maximumBody)
            let response = await executeAPI.respond(to: request, target: target, body: body.map { Array(buffer: $0) }, requestID: requestID)
            return body == nil ? context.closingAfterAnswer(response) : response
        }
        // S3 is decided from the head alone, before any body is read; the unsigned paths above are not buckets. An
        // error may come before the body was read (or in the middle of its framing): it ends the connection.
        if S3Routing.claims(request) {
            let response = await s3.respond(to: request)
            return response.status.code >= 400 && Self.hasBody(request) ? context.closingAfterAnswer(response) : response
        }
        let isRuntime = path.hasPrefix("/endpoints/")
        let body: [UInt8]
        do {
            let limit = path.hasPrefix(LambdaService.pathPrefix) ? LambdaService.maximumRequest : Self.maximumBodySize
            body = Array(buffer: try await request.body.collect(upTo: limit))
        } catch {
            if path.hasPrefix(LambdaService.pathPrefix) {
                return context.closingAfterAnswer(LambdaService.error(LambdaService.requestTooLarge, requestID: requestID))
            }
            let error = AWSError(
                isRuntime ? "ValidationError" : "RequestEntityTooLarge", "The request body is larger than \(Self.maximumBodySize) bytes.",
                status: isRuntime ? 400 : 413)
            return context.closingAfterAnswer(
                isRuntime ? AWSResponses.restJSON(error, requestID: requestID) : AWSResponses.json11(error, requestID: requestID))
        }
        let target = request.headers[HTTPField.Name("X-Amz-Target")!]
        let awsContext: AWSRequestContext
        let signingName: String?
        do {
            let (region, service) = try authenticator.authenticate(request, body: body)
            signingName = service
            awsContext = AWSRequestContext(region: region, account: account, requestID: requestID)
        } catch let error as AWSError {
            return isRuntime ? AWSResponses.restJSON(error, requestID: requestID) : AWSResponses.json11(error, requestID: requestID)
        }
        if isRuntime { return await invoke(path: path, request: request, body: body, context: awsContext) }
        if signingName == "lambda" || path.hasPrefix(LambdaService.pathPrefix) {
            return await lambda.respond(to: request, body: body, context: awsContext)
        }
        if signingName == "apigateway" || path.hasPrefix(RestAPIService.pathPrefix) {
            return await BlockingStoreWork.run { [restAPIs] in restAPIs.respond(to: request, body: body, context: awsContext) }
        }
        if target == nil, path == "/", let parameters = QueryProtocolService.action(body: body, query: request.uri.query) {
            let answer = query.respond(service: signingName, parameters: parameters, requestID: requestID)
            return AWSResponses.response(status: answer.status, contentType: "text/xml", body: Array(answer.body.utf8), requestID: requestID)
        }
        guard request.method == .post, path == "/", let target, let dot = target.firstIndex(of: ".") else {
            let what = target.map { "X-Amz-Target \($0)" } ?? "\(request.method) \(path)"
            return AWSResponses.json11(AWSError("UnknownOperationException", "Apiary serves no operation for \(what)."), requestID: requestID)
        }
        let service = target[..<dot]
        let operation = String(target[target.index(after: dot)...])
        return await BlockingStoreWork.run { [self] in json11(service: service, operation: operation, body: body, context: awsContext) }
    }

    /// Whether the request announces a body (a non-zero `Content-Length`, or chunked transfer coding).
    private static func hasBody(_ request: Request) -> Bool {
        request.headers[.transferEncoding] != nil || (request.headers[.contentLength].flatMap { Int($0) } ?? 0) > 0
    }

    /// A JSON 1.1 call (JSON 1.0 for CloudWatch metrics): parse the body, run the operation, render the answer or the error.
    private func json11(service: Substring, operation: String, body: [UInt8], context: AWSRequestContext) -> Response {
        let version = service == MetricsService.targetPrefix ? "1.0" : "1.1"
        do {
            let input = try JSONValue.requestObject(body)
            let output: JSONValue
            switch service {
            case "SageMaker": output = try sageMaker.handle(operation, input, context)
            case "Logs_20140328": output = try logs.handle(operation, input, context)
            case MetricsService.targetPrefix: output = try metrics.handle(operation, input)
            default: throw AWSError.unknownOperation("\(service).\(operation)")
            }
            return AWSResponses.json11(output, requestID: context.requestID, version: version)
        } catch let error as AWSError {
            logger.debug("request failed", metadata: ["operation": "\(operation)", "code": "\(error.code)", "requestId": "\(context.requestID)"])
            return AWSResponses.json11(error, requestID: context.requestID, version: version)
        } catch {
            logger.error("internal failure", metadata: ["operation": "\(operation)", "error": "\(error)", "requestId": "\(context.requestID)"])
            return AWSResponses.json11(AWSError.unexpected(error), requestID: context.requestID, version: version)
        }
    }

    /// `POST /endpoints/{name}/invocations`: the runtime's InvokeEndpoint; other runtime paths are unknown.
    private func invoke(path: String, request: Request, body: [UInt8], context: AWSRequestContext) async -> Response {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard request.method == .post, parts.count == 4, parts[3] == "invocations", let name = String(parts[2]).removingPercentEncoding else {
            let error = AWSError("UnknownOperationException", "No runtime operation is served at \(request.method) \(path).", status: 404)
            return AWSResponses.restJSON(error, requestID: context.requestID)
        }
        do {
            let answer = try await runtime.invoke(
                endpoint: name, body: body, contentType: request.headers[.contentType], accept: request.headers[.accept],
                targetVariant: request.headers[HTTPField.Name("X-Amzn-SageMaker-Target-Variant")!], context: context)
            var response = AWSResponses.response(status: 200, contentType: answer.contentType, body: answer.body, requestID: context.requestID)
            response.headers[HTTPField.Name("x-Amzn-Invoked-Production-Variant")!] = answer.variant
            if let attributes = request.headers[HTTPField.Name("X-Amzn-SageMaker-Custom-Attributes")!] {
                response.headers[HTTPField.Name("X-Amzn-SageMaker-Custom-Attributes")!] = attributes
            }
            return response
        } catch let error as AWSError {
            return AWSResponses.restJSON(error, requestID: context.requestID)
        } catch {
            return AWSResponses.restJSON(AWSError.unexpected(error), requestID: context.requestID)
        }
    }

    private func testHook(_ path: String, request: Request, requestID: String) -> Response {
        guard let reset, path == "/moto-api/reset", request.method == .post else {
            return AWSResponses.restJSON(AWSError("NotFound", "No test hook at \(path) (start the daemon with --test-hooks).", status: 404), requestID: requestID)
        }
        do {
            try reset()
            return AWSResponses.response(status: 200, contentType: "application/json", body: Array("{}".utf8), requestID: requestID)
        } catch {
            return AWSResponses.restJSON(AWSError.internalFailure("reset failed: \(error)"), requestID: requestID)
        }
    }
}
