import AWSHTTP
import AWSProtocol
import ControlPlane
import Foundation
import HTTPTypes
import Hummingbird
import ObjectStore

/// The Lambda API (rest-json, signing name `lambda`, paths under `/2015-03-31/functions`): the function control
/// plane, resource policies (stored, not enforced) and Invoke (spec §1–2). Errors are `x-amzn-ErrorType` +
/// `{"Type", "message"}`; function errors are never 5xx, so botocore never re-runs a handler.
package struct LambdaService: Sendable {
    let store: ControlPlaneStore
    let objects: ObjectStore
    let runtimes: LambdaRuntimes

    package init(store: ControlPlaneStore, objects: ObjectStore, runtimes: LambdaRuntimes) {
        self.store = store
        self.objects = objects
        self.runtimes = runtimes
    }

    package static let pathPrefix = "/2015-03-31/functions"
    /// Where GetFunction's `Code.Location` points: `/_apiary/lambda/{name}/code.zip` (unsigned, like a presigned URL).
    package static let codePrefix = "/_apiary/lambda/"
    /// Invoke's synchronous payload limit.
    static let maximumPayload = 6_291_456
    /// Invoke's asynchronous (`Event`) payload limit.
    static let maximumEventPayload = 1_048_576
    /// The largest Lambda request (a CreateFunction with a 50 MB zip, base64 in JSON).
    package static let maximumRequest = 70_167_211
    package static let requestTooLarge = AWSError(
        "RequestTooLargeException", "Request must be smaller than \(maximumRequest) bytes for the CreateFunction or UpdateFunctionCode operation",
        status: 413)

    package func respond(to request: Request, body: [UInt8], context: AWSRequestContext) async -> Response {
        do {
            return try await route(request, body: body, context: context)
        } catch let error as AWSError {
            return Self.error(error, requestID: context.requestID)
        } catch {
            // A database that did not answer is Lambda's ServiceException too — its model's one service-side error
            // (no 503 there); botocore retries its 500 — with the words every API gives an outage.
            let answer = AWSError.unavailable(error, code: "ServiceException", status: 500) ?? AWSError("ServiceException", "\(error)", status: 500)
            return Self.error(answer, requestID: context.requestID)
        }
    }

    private func route(_ request: Request, body: [UInt8], context: AWSRequestContext) async throws -> Response {
        let parts = request.uri.path.dropFirst(Self.pathPrefix.count).split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let method = request.method
        let sub = parts.count > 1 ? parts[1] : ""
        switch (method, parts.count, sub) {
        case (.post, 0, _): return try ok(create(try JSONValue.requestObject(body), context), status: 201, context)
        case (.get, 0, _): return try ok(list(request.uri.queryParameters), context)
        default: break
        }
        guard !parts.isEmpty else { throw Self.unknown(request) }
        let (name, qualifier) = LambdaFunction.reference(parts[0])
        if let qualifier, qualifier != "$LATEST" { throw notFound(name, context) }
        switch (method, parts.count, sub) {
        case (.get, 1, _):
            let function = try find(name, context)
            let location = "http://\(request.head.authority ?? "127.0.0.1")\(Self.codePrefix)\(name)/code.zip?token=\(Self.codeLinkToken(name))"
            return ok(["Configuration": function.configuration, "Tags": [:], "Code": ["RepositoryType": "S3", "Location": .string(location)]], context)
        case (.delete, 1, _):
            guard try store.delete(.lambdaFunction, named: name) else { throw notFound(name, context) }
            runtimes.discard(name)
            return Self.empty(204, context)
        case (.get, 2, "configuration"): return try ok(find(name, context).configuration, context)
        case (.put, 2, "configuration"):
            let input = try JSONValue.requestObject(body)
            return try ok(change(name, context) { function in try function.apply(input) }, context)
        case (.put, 2, "code"):
            let package = try code(try JSONValue.requestObject(body))
            return try ok(change(name, context, package: package) { _ in }, context)
        case (.post, 2, "invocations"): return try await invoke(name, request, body: body, context)
        case (.post, 2, "policy"): return try ok(addPermission(name, try JSONValue.requestObject(body), context), status: 201, context)
        case (.get, 2, "policy"): return try ok(policy(name, context), context)
        case (.delete, 3, "policy"):
            try update(name, context) { function in
                let before = function.statements.count
                function.statements.removeAll { $0["Sid"]?.stringValue == parts[2] }
                guard function.statements.count < before else {
                    throw AWSError("ResourceNotFoundException", "Statement \(parts[2]) is not found in resource policy.", status: 404)
                }
            }
            return Self.empty(204, context)
        default: throw Self.unknown(request)
        }
    }

    // MARK: Control plane

    private func create(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        guard let name = input["FunctionName"]?.stringValue.map({ LambdaFunction.reference($0).name }),
            name.count <= 64, name.range(of: "^[a-zA-Z0-9-_]+$", options: .regularExpression) != nil
        else { throw LambdaFunction.invalid("FunctionName must be 1 to 64 letters, digits, hyphens or underscores.") }
        guard input["PackageType"]?.stringValue ?? "Zip" == "Zip", input["Code"]?["ImageUri"] == nil else {
            throw LambdaFunction.invalid("Container image functions are not supported by this emulator; use a Zip package.")
        }
        guard input["Runtime"] != nil, input["Role"] != nil else { throw LambdaFunction.invalid("Runtime and Role are required.") }
        var function = LambdaFunction.new(name: name, arn: arn(name, context))
        try function.apply(input)
        function.setCode(try code(input["Code"] ?? [:]), now: Date())
        let record = ResourceRecord(
            kind: .lambdaFunction, name: name, arn: function.arn, creationTime: context.now, lastModifiedTime: context.now, status: nil,
            document: function.document)
        guard try store.insert(record) else {
            throw AWSError("ResourceConflictException", "Function already exist: \(name)", status: 409)
        }
        return function.configuration
    }

    private func list(_ query: Parameters) throws -> JSONValue {
        let all = try store.resources(.lambdaFunction).sorted { $0.name < $1.name }
        // The marker is a position this service handed out: a non-negative integer, or the request is refused.
        let start = try query["Marker"].map { marker -> Int in
            guard let position = Int(marker), position >= 0 else {
                throw AWSError("InvalidParameterValueException", "Invalid Marker: \(marker)")
            }
            return position
        } ?? 0
        let limit = min(max(query["MaxItems"].flatMap { Int($0) } ?? 50, 1), 10_000)
        let page = all.dropFirst(start).prefix(limit)
        var answer: JSONValue = ["Functions": .array(page.map { LambdaFunction(document: $0.document).configuration })]
        if all.count - start > page.count { answer["NextMarker"] = .string(String(start + page.count)) }
        return answer
    }

    /// The zip of a `Code` / UpdateFunctionCode member: `ZipFile` (base64) or `S3Bucket` + `S3Key` from the object store.
    private func code(_ input: JSONValue) throws -> LambdaCodeStore.Package {
        if let zip = input["ZipFile"]?.stringValue {
            guard let bytes = Data(base64Encoded: zip) else { throw LambdaFunction.invalid("ZipFile is not base64.") }
            return try runtimes.code.store(Array(bytes))
        }
        if let bucket = input["S3Bucket"]?.stringValue, let key = input["S3Key"]?.stringValue {
            guard let bytes = try? objects.get(S3URI(bucket: bucket, key: key)) else {
                throw LambdaFunction.invalid(
                    "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.")
            }
            return try runtimes.code.store(Array(bytes))
        }
        throw LambdaFunction.invalid("Code needs ZipFile, or S3Bucket and S3Key.")
    }

    /// Applies `change`, then a new revision (and `package` if given); warm environments of the old one go.
    private func change(_ name: String, _ context: AWSRequestContext, package: LambdaCodeStore.Package? = nil,
                        _ change: (inout LambdaFunction) throws -> Void) throws -> JSONValue {
        let function = try update(name, context) { function in
            try change(&function)
            if let package { function.setCode(package, now: Date()) } else { function.touch(Date()) }
        }
        runtimes.discard(name)
        return function.configuration
    }

    @discardableResult
    private func update(_ name: String, _ context: AWSRequestContext, _ change: (inout LambdaFunction) throws -> Void) throws -> LambdaFunction {
        guard let changed: LambdaFunction = try store.updateDocument(.lambdaFunction, named: name, at: context.now, change) else { throw notFound(name, context) }
        return changed
    }

    private func addPermission(_ name: String, _ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        guard let sid = input["StatementId"]?.stringValue, let action = input["Action"]?.stringValue,
            let principal = input["Principal"]?.stringValue
        else { throw LambdaFunction.invalid("StatementId, Action and Principal are required.") }
        var statement: JSONValue = [
            "Sid": .string(sid), "Effect": "Allow",
            "Principal": principal.hasSuffix(".amazonaws.com") ? ["Service": .string(principal)] : ["AWS": .string(principal)],
            "Action": .string(action), "Resource": .string(arn(name, context)),
        ]
        if let source = input["SourceArn"]?.stringValue { statement["Condition"] = ["ArnLike": ["AWS:SourceArn": .string(source)]] }
        try update(name, context) { function in
            guard !function.statements.contains(where: { $0["Sid"]?.stringValue == sid }) else {
                throw AWSError("ResourceConflictException", "The statement id (\(sid)) provided already exists. Please provide a new statement id, or remove the existing statement.", status: 409)
            }
            function.statements.append(statement)
        }
        return ["Statement": .string(statement.rendered())]
    }

    private func policy(_ name: String, _ context: AWSRequestContext) throws -> JSONValue {
        let function = try find(name, context)
        guard !function.statements.isEmpty else {
            throw AWSError("ResourceNotFoundException", "The resource you requested does not exist.", status: 404)
        }
        let document: JSONValue = ["Version": "2012-10-17", "Id": "default", "Statement": .array(function.statements)]
        return ["Policy": .string(document.rendered()), "RevisionId": .string(function.revisionID)]
    }

    // MARK: Invoke

    private func invoke(_ name: String, _ request: Request, body: [UInt8], _ context: AWSRequestContext) async throws -> Response {
        let function = try find(name, context)
        let type = request.headers[HTTPField.Name("X-Amz-Invocation-Type")!] ?? "RequestResponse"
        let limit = type == "Event" ? Self.maximumEventPayload : Self.maximumPayload
        guard body.count <= limit else {
            throw AWSError("RequestTooLargeException", "Request must be smaller than \(limit) bytes for the InvokeFunction operation", status: 413)
        }
        let payload = body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) ? Array("{}".utf8) : body
        guard (try? JSONValue.parse(payload)) != nil else {
            throw AWSError("InvalidRequestContentException", "Could not parse request body into json: Unrecognized token", status: 400)
        }
        let clientContext = request.headers[HTTPField.Name("X-Amz-Client-Context")!].flatMap { Data(base64Encoded: $0) }
            .map { String(decoding: $0, as: UTF8.self) }
        switch type {
        case "DryRun": return Self.empty(204, context)
        case "Event":
            Task { _ = await runtimes.invoke(function, payload: payload, clientContext: clientContext) }
            return Self.empty(202, context)
        case "RequestResponse":
            let result = await runtimes.invoke(function, payload: payload, clientContext: clientContext)
            var response = AWSResponses.response(status: 200, contentType: "application/json", body: result.payload, requestID: context.requestID)
            response.headers[HTTPField.Name("X-Amz-Executed-Version")!] = "$LATEST"
            if result.functionError { response.headers[HTTPField.Name("X-Amz-Function-Error")!] = "Unhandled" }
            if request.headers[HTTPField.Name("X-Amz-Log-Type")!] == "Tail" {
                response.headers[HTTPField.Name("X-Amz-Log-Result")!] = Data(Array(result.log.utf8).suffix(4096)).base64EncodedString()
            }
            return response
        default:
            throw AWSError("InvalidParameterValueException", "Invalid invocation type: \(type)", status: 400)
        }
    }

    /// Invokes a function by ARN for API Gateway's AWS_PROXY integration. - Returns: nil when it does not exist.
    func invoke(arn: String, payload: [UInt8]) async throws -> LambdaInvocationResult? {
        guard let record = try store.resource(.lambdaFunction, named: LambdaFunction.reference(arn).name) else { return nil }
        return await runtimes.invoke(LambdaFunction(document: record.document), payload: payload, clientContext: nil)
    }

    /// `GET /_apiary/lambda/{name}/code.zip`: the function's package as uploaded.
    /// Signs GetFunction's `Code.Location` for this daemon run, as AWS presigns it: whoever was allowed to read the
    /// function may download its code with plain HTTP.
    private static let codeLinkKey: [UInt8] = {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }()

    static func codeLinkToken(_ name: String) -> String { Digest.hex(Digest.hmacSHA256(key: codeLinkKey, data: Array(name.utf8))) }

    /// Whether `request` is a code download with the token GetFunction handed out for that function.
    package static func isCodeLink(_ request: Request) -> Bool {
        let name = request.uri.path.dropFirst(codePrefix.count).split(separator: "/").first.map(String.init) ?? ""
        guard let token = request.uri.queryParameters["token"] else { return false }
        return Digest.sha256(Array(token.utf8)) == Digest.sha256(Array(codeLinkToken(name).utf8))
    }

    package func package(path: String, requestID: String) -> Response {
        let name = path.dropFirst(Self.codePrefix.count).split(separator: "/").first.map(String.init) ?? ""
        guard let record = try? store.resource(.lambdaFunction, named: name),
            let zip = try? Data(contentsOf: runtimes.code.zip(LambdaFunction(document: record.document).codeKey))
        else { return Self.error(AWSError("ResourceNotFoundException", "Function not found: \(name)", status: 404), requestID: requestID) }
        return AWSResponses.response(status: 200, contentType: "application/zip", body: Array(zip), requestID: requestID)
    }

    // MARK: Helpers

    private func find(_ name: String, _ context: AWSRequestContext) throws -> LambdaFunction {
        guard let record = try store.resource(.lambdaFunction, named: name) else { throw notFound(name, context) }
        return LambdaFunction(document: record.document)
    }

    private func arn(_ name: String, _ context: AWSRequestContext) -> String {
        "arn:aws:lambda:\(context.region):\(context.account):function:\(name)"
    }

    private func notFound(_ name: String, _ context: AWSRequestContext) -> AWSError {
        AWSError("ResourceNotFoundException", "Function not found: \(arn(name, context))", status: 404)
    }

    private static func unknown(_ request: Request) -> AWSError {
        AWSError("UnknownOperationException", "Apiary serves no Lambda operation at \(request.method) \(request.uri.path).", status: 404)
    }

    private func ok(_ output: JSONValue, status: Int = 200, _ context: AWSRequestContext) -> Response {
        AWSResponses.response(status: status, contentType: "application/json", body: output.renderedBytes, requestID: context.requestID)
    }

    private static func empty(_ status: Int, _ context: AWSRequestContext) -> Response {
        AWSResponses.response(status: status, contentType: "application/json", body: [], requestID: context.requestID)
    }

    /// Lambda's error shape: `x-amzn-ErrorType` and `{"Type": "User"|"Service", "message"}`.
    package static func error(_ error: AWSError, requestID: String) -> Response {
        var error = error
        error.extra["Type"] = .string(error.status >= 500 ? "Service" : "User")
        return AWSResponses.restJSON(error, requestID: requestID)
    }
}
