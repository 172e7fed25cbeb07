import AWSHTTP
import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird

/// The Lambda Runtime API (`2018-06-01`) of one execution environment, on that environment's own loopback
/// listener (spec §6.2): `/next` long-polls, `/response`, `/error`, `/init/error`.
struct RuntimeAPIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// Lambda's 6 MB response limit.
    static let maximumResponseSize = 6 * 1024 * 1024

    let environment: ExecutionEnvironment

    func respond(to request: Request, context: Context) async throws -> Response {
        let prefix = "/2018-06-01/runtime/"
        let path = request.uri.path
        guard path.hasPrefix(prefix), request.method == .get || request.method == .post else { return Self.invalid() }
        let parts = path.dropFirst(prefix.count).split(separator: "/").map(String.init)
        if request.method == .get, parts == ["invocation", "next"] {
            return Self.next(try await environment.next())
        }
        guard request.method == .post else { return Self.invalid() }
        let body: [UInt8]
        do {
            body = Array(buffer: try await request.body.collect(upTo: Self.maximumResponseSize))
        } catch {
            if parts.count == 3 { environment.finish(parts[1], .responseTooLarge) }
            return Self.answer(413, ["errorMessage": "Exceeded maximum allowed payload size (6291556 bytes).", "errorType": "RequestEntityTooLarge"])
        }
        switch parts.count == 3 ? parts[2] : parts.joined(separator: "/") {
        case "response":
            return environment.finish(parts[1], .response(body)) ? Self.accepted() : Self.invalidRequestID()
        case "error":
            return environment.finish(parts[1], .functionError(body)) ? Self.accepted() : Self.invalidRequestID()
        case "init/error":
            environment.initFailed(body)
            return Self.accepted()
        default:
            return Self.invalid()
        }
    }

    private static func next(_ invocation: RuntimeInvocation) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("Lambda-Runtime-Aws-Request-Id")!] = invocation.requestID
        headers[HTTPField.Name("Lambda-Runtime-Deadline-Ms")!] = String(invocation.deadline)
        headers[HTTPField.Name("Lambda-Runtime-Invoked-Function-Arn")!] = invocation.functionARN
        headers[HTTPField.Name("Lambda-Runtime-Trace-Id")!] = traceID()
        if let clientContext = invocation.clientContext { headers[HTTPField.Name("Lambda-Runtime-Client-Context")!] = clientContext }
        headers[.contentLength] = String(invocation.payload.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: invocation.payload)))
    }

    /// `Root=1-<8 hex epoch>-<24 hex>;Parent=<16 hex>;Sampled=0`.
    private static func traceID() -> String {
        let random = { (count: Int) in String((0..<count).map { _ in "0123456789abcdef".randomElement()! }) }
        return "Root=1-\(String(Int(Date().timeIntervalSince1970), radix: 16))-\(random(24));Parent=\(random(16));Sampled=0"
    }

    private static func accepted() -> Response { answer(202, ["status": "OK"]) }
    private static func invalidRequestID() -> Response { answer(400, ["errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"]) }
    private static func invalid() -> Response { answer(404, ["errorMessage": "Unknown Runtime API path", "errorType": "InvalidRequest"]) }

    private static func answer(_ status: Int, _ body: JSONValue) -> Response {
        AWSResponses.response(status: status, contentType: "application/json", body: body.renderedBytes, requestID: UUID().uuidString.lowercased())
    }
}
