import AWSHTTP
import AWSProtocol
import ControlPlane
import Foundation
import Hummingbird

/// API Gateway's REST API control plane (rest-json, signing name `apigateway`, paths under `/restapis`): APIs,
/// resources with `{param}` / `{proxy+}` path parts, methods, AWS_PROXY integrations to Lambda, deployments and
/// stages (spec §3). Lists answer `{"item": [...]}`; errors are `x-amzn-ErrorType` + `{"message"}`.
package struct RestAPIService: Sendable {
    let store: ControlPlaneStore

    package init(store: ControlPlaneStore) {
        self.store = store
    }

    package static let pathPrefix = "/restapis"

    package func respond(to request: Request, body: [UInt8], context: AWSRequestContext) -> Response {
        do {
            let (status, output) = try route(request, body: body, context: context)
            return AWSResponses.response(
                status: status, contentType: "application/json", body: output.map(\.renderedBytes) ?? [], requestID: context.requestID)
        } catch let error as AWSError {
            return AWSResponses.restJSON(error, requestID: context.requestID)
        } catch {
            // A database that did not answer: API Gateway's own ServiceUnavailableException (503), which clients retry.
            let answer = AWSError.unavailable(error, code: "ServiceUnavailableException") ?? AWSError("InternalServerErrorException", "\(error)", status: 500)
            return AWSResponses.restJSON(answer, requestID: context.requestID)
        }
    }

    private func route(_ request: Request, body: [UInt8], context: AWSRequestContext) throws -> (Int, JSONValue?) {
        let parts = request.uri.path.dropFirst(Self.pathPrefix.count).split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let input = try JSONValue.requestObject(body)
        let now = JSONValue.int(Int(context.now))
        switch (request.method, parts.count) {
        case (.post, 0): return (201, try create(input, now: now, context))
        case (.get, 0): return (200, ["item": .array(try store.resources(.restAPI).map { RestAPI(document: $0.document).api })])
        default: break
        }
        guard let id = parts.first else { throw Self.badRequest("Unknown operation") }
        let tail = Array(parts.dropFirst())
        switch (request.method, tail.first ?? "", tail.count) {
        case (.get, "", _): return (200, try find(id, context).api)
        case (.patch, "", _): return (200, try update(id, context) { api in try Self.patchRestAPI(&api, input) }.api)
        case (.delete, "", _):
            guard try store.delete(.restAPI, named: id) else { throw Self.invalidAPI(id, context) }
            return (202, nil)
        case (.get, "resources", 1): return (200, ["item": .array(try find(id, context).resources.values.sorted { ($0["path"]?.stringValue ?? "") < ($1["path"]?.stringValue ?? "") })])
        case (.get, "resources", 2): return (200, try resource(tail[1], of: try find(id, context)))
        case (.post, "resources", 2): return (201, try createResource(id, parent: tail[1], input, context))
        case (.delete, "resources", 2):
            try update(id, context) { api in
                _ = try resource(tail[1], of: api)
                guard tail[1] != api.api["rootResourceId"]?.stringValue else { throw Self.badRequest("Cannot delete the root resource") }
                api.resources = api.resources.filter { !Self.isDescendant($0.key, of: tail[1], in: api.resources) }
            }
            return (202, nil)
        case (_, "resources", 4...) where tail[2] == "methods":
            return try method(id, resource: tail[1], verb: tail[3].uppercased(), rest: Array(tail.dropFirst(4)), request.method, input, context)
        case (.post, "deployments", 1): return (201, try deploy(id, input, now: now, context))
        case (.get, "deployments", 1):
            return (200, ["item": .array(try find(id, context).deployments.values.map { $0.removing("snapshot") })])
        case (.post, "stages", 1):
            guard let name = input["stageName"]?.stringValue, let deployment = input["deploymentId"]?.stringValue else {
                throw Self.badRequest("stageName and deploymentId are required")
            }
            return (201, try update(id, context) { api in
                guard api.deployments[deployment] != nil else { throw Self.notFound("Invalid Deployment identifier specified") }
                guard api.stages[name] == nil else { throw AWSError("ConflictException", "Stage already exists", status: 409) }
                api.stages[name] = Self.stage(name, deployment: deployment, now: now, description: input["description"])
            }.stages[name])
        case (.get, "stages", 1): return (200, ["item": .array(Array(try find(id, context).stages.values))])
        case (.get, "stages", 2):
            guard let stage = try find(id, context).stages[tail[1]] else { throw Self.notFound("Invalid Stage identifier specified") }
            return (200, stage)
        case (.delete, "stages", 2):
            try update(id, context) { api in
                guard api.stages.removeValue(forKey: tail[1]) != nil else { throw Self.notFound("Invalid Stage identifier specified") }
            }
            return (202, nil)
        default: throw Self.notFound("Apiary serves no API Gateway operation at \(request.method) \(request.uri.path)")
        }
    }

    private func create(_ input: JSONValue, now: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        guard let name = input["name"]?.stringValue, !name.isEmpty else { throw Self.badRequest("name is required") }
        let id = RestAPI.newID(10)
        let root = RestAPI.newID(10)
        var api: JSONValue = [
            "id": .string(id), "name": .string(name), "createdDate": now, "apiKeySource": "HEADER", "rootResourceId": .string(root),
            "binaryMediaTypes": input["binaryMediaTypes"] ?? [], "disableExecuteApiEndpoint": false,
            "endpointConfiguration": input["endpointConfiguration"] ?? ["types": ["EDGE"]],
        ]
        if let description = input["description"] { api["description"] = description }
        let record = RestAPI(api: api, resources: [root: ["id": .string(root), "path": "/"]])
        _ = try store.insert(
            ResourceRecord(
                kind: .restAPI, name: id, arn: "arn:aws:apigateway:\(context.region)::/restapis/\(id)", creationTime: context.now,
                lastModifiedTime: context.now, status: nil, document: record.document))
        return api
    }

    /// UpdateRestApi: `add`/`remove`/`replace` on `/binaryMediaTypes/<type>` (JSON-Pointer escaped), `/name`, `/description`.
    private static func patchRestAPI(_ api: inout RestAPI, _ input: JSONValue) throws {
        for operation in input["patchOperations"]?.arrayValue ?? [] {
            let op = operation["op"]?.stringValue ?? ""
            let path = operation["path"]?.stringValue ?? ""
            let value = operation["value"]?.stringValue
            if path.hasPrefix("/binaryMediaTypes/") {
                let type = String(path.dropFirst("/binaryMediaTypes/".count)).replacingOccurrences(of: "~1", with: "/")
                    .replacingOccurrences(of: "~0", with: "~")
                var types = api.binaryMediaTypes.filter { $0 != type }
                switch op {
                case "add": types.append(type)
                case "remove": break
                case "replace": if let value { types.append(value) }
                default: throw badRequest("Invalid patch operation \(op)")
                }
                api.api["binaryMediaTypes"] = .array(types.map(JSONValue.string))
            } else if ["/name", "/description"].contains(path), op == "replace" {
                api.api[String(path.dropFirst())] = value.map(JSONValue.string) ?? .null
            } else {
                throw badRequest("Invalid patch path \(path)")
            }
        }
    }

    private func createResource(_ id: String, parent: String, _ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        guard let part = input["pathPart"]?.stringValue,
            part.range(of: #"^([A-Za-z0-9._:-]+|\{[A-Za-z0-9._-]+\+?\})$"#, options: .regularExpression) != nil
        else { throw Self.badRequest("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end.") }
        let resourceID = RestAPI.newID(10)
        return try update(id, context) { api in
            let parentResource = try resource(parent, of: api)
            guard !(parentResource["pathPart"]?.stringValue ?? "").hasSuffix("+}") else {
                throw Self.badRequest("Cannot create a child of a resource with a greedy path variable")
            }
            guard !api.resources.values.contains(where: { $0["parentId"]?.stringValue == parent && $0["pathPart"]?.stringValue == part }) else {
                throw AWSError("ConflictException", "Another resource with the same parent already has this name: \(part)", status: 409)
            }
            let parentPath = parentResource["path"]?.stringValue ?? "/"
            api.resources[resourceID] = [
                "id": .string(resourceID), "parentId": .string(parent), "pathPart": .string(part),
                "path": .string(parentPath == "/" ? "/\(part)" : "\(parentPath)/\(part)"),
            ]
        }.resources[resourceID] ?? [:]
    }

    /// PutMethod/GetMethod/DeleteMethod, PutIntegration/GetIntegration/DeleteIntegration, and the stored-only
    /// method and integration responses.
    private func method(
        _ id: String, resource resourceID: String, verb: String, rest: [String], _ httpMethod: HTTPRequest.Method, _ input: JSONValue,
        _ context: AWSRequestContext
    ) throws -> (Int, JSONValue?) {
        let methodPath = ["resourceMethods", verb]
        if httpMethod == .get {
            let api = try find(id, context)
            let method = try Self.existingMethod(try resource(resourceID, of: api), verb)
            switch rest {
            case []: return (200, method)
            case ["integration"]:
                guard let integration = method["methodIntegration"] else { throw Self.notFound("Invalid Integration identifier specified") }
                return (200, integration)
            default: throw Self.notFound("Invalid Response status code specified")
            }
        }
        var answer: JSONValue?
        var status = 201
        try update(id, context) { api in
            var node = try resource(resourceID, of: api)
            switch (httpMethod, rest) {
            case (.put, []):
                guard ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "ANY"].contains(verb) else {
                    throw Self.badRequest("Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY")
                }
                var method: JSONValue = [
                    "httpMethod": .string(verb), "authorizationType": input["authorizationType"] ?? "NONE", "apiKeyRequired": input["apiKeyRequired"] ?? false,
                ]
                if let parameters = input["requestParameters"] { method["requestParameters"] = parameters }
                node[path: methodPath] = method
                answer = method
            case (.delete, []):
                _ = try Self.existingMethod(node, verb)
                node["resourceMethods"]?[verb] = nil
                status = 204
            case (.put, ["integration"]):
                var method = try Self.existingMethod(node, verb)
                let type = input["type"]?.stringValue ?? ""
                guard ["AWS_PROXY", "AWS", "HTTP", "HTTP_PROXY", "MOCK"].contains(type) else { throw Self.badRequest("Invalid integration type \(type)") }
                if type == "AWS_PROXY" {
                    guard let uri = input["uri"]?.stringValue, Self.functionARN(uri) != nil else {
                        throw Self.badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.")
                    }
                }
                var integration: JSONValue = [
                    "type": .string(type), "passthroughBehavior": input["passthroughBehavior"] ?? "WHEN_NO_MATCH",
                    "timeoutInMillis": input["timeoutInMillis"] ?? 29000, "cacheNamespace": .string(resourceID), "cacheKeyParameters": [],
                ]
                for key in ["httpMethod", "uri", "credentials", "requestTemplates", "requestParameters", "contentHandling"] {
                    if let value = input[key] { integration[key] = value }
                }
                method["methodIntegration"] = integration
                node[path: methodPath] = method
                answer = integration
            case (.delete, ["integration"]):
                var method = try Self.existingMethod(node, verb)
                guard method["methodIntegration"] != nil else { throw Self.notFound("Invalid Integration identifier specified") }
                method["methodIntegration"] = nil
                node[path: methodPath] = method
                status = 204
            case (.put, _) where rest.count == 2 && rest[0] == "responses":
                let code = rest[1]
                var method = try Self.existingMethod(node, verb)
                var response: JSONValue = ["statusCode": .string(code)]
                for key in ["responseParameters", "responseModels"] { if let value = input[key] { response[key] = value } }
                method[path: ["methodResponses", code]] = response
                node[path: methodPath] = method
                answer = response
            case (.put, _) where rest.count == 3 && rest[0] == "integration" && rest[1] == "responses":
                let code = rest[2]
                var method = try Self.existingMethod(node, verb)
                guard method["methodIntegration"] != nil else { throw Self.notFound("Invalid Integration identifier specified") }
                var response: JSONValue = ["statusCode": .string(code)]
                for key in ["selectionPattern", "responseParameters", "responseTemplates", "contentHandling"] { if let value = input[key] { response[key] = value } }
                method[path: ["methodIntegration", "integrationResponses", code]] = response
                node[path: methodPath] = method
                answer = response
            default:
                throw Self.notFound("Apiary serves no API Gateway operation at \(httpMethod) \(rest.joined(separator: "/"))")
            }
            api.resources[resourceID] = node
        }
        return (status, answer)
    }

    /// CreateDeployment: freezes the resource tree and `binaryMediaTypes`; with `stageName`, points that stage at it.
    private func deploy(_ id: String, _ input: JSONValue, now: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let deploymentID = RestAPI.newID(6)
        var deployment: JSONValue = ["id": .string(deploymentID), "createdDate": now, "description": input["description"] ?? ""]
        try update(id, context) { api in
            guard api.resources.values.contains(where: { !($0["resourceMethods"]?.objectValue ?? [:]).isEmpty }) else {
                throw Self.badRequest("The REST API doesn't contain any methods")
            }
            deployment["snapshot"] = ["resources": .object(api.resources), "binaryMediaTypes": .array(api.binaryMediaTypes.map(JSONValue.string))]
            api.deployments[deploymentID] = deployment
            if let name = input["stageName"]?.stringValue, !name.isEmpty {
                var stage = api.stages[name] ?? Self.stage(name, deployment: deploymentID, now: now, description: input["stageDescription"])
                stage["deploymentId"] = .string(deploymentID)
                stage["lastUpdatedDate"] = now
                api.stages[name] = stage
            }
        }
        return deployment.removing("snapshot")
    }

    // MARK: Helpers

    /// The Lambda function ARN in an AWS_PROXY integration URI
    /// (`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`).
    static func functionARN(_ uri: String) -> String? {
        guard let start = uri.range(of: "/functions/"), let end = uri.range(of: "/invocations", options: .backwards),
            start.upperBound < end.lowerBound
        else { return nil }
        return String(uri[start.upperBound..<end.lowerBound])
    }

    private static func stage(_ name: String, deployment: String, now: JSONValue, description: JSONValue?) -> JSONValue {
        ["stageName": .string(name), "deploymentId": .string(deployment), "createdDate": now, "lastUpdatedDate": now,
         "description": description ?? "", "cacheClusterEnabled": false, "tracingEnabled": false]
    }

    private static func isDescendant(_ id: String, of ancestor: String, in resources: [String: JSONValue]) -> Bool {
        var current: String? = id
        while let node = current {
            if node == ancestor { return true }
            current = resources[node]?["parentId"]?.stringValue
        }
        return false
    }

    private static func existingMethod(_ resource: JSONValue, _ verb: String) throws -> JSONValue {
        guard let method = resource["resourceMethods"]?[verb] else { throw notFound("Invalid Method identifier specified") }
        return method
    }

    private func resource(_ resourceID: String, of api: RestAPI) throws -> JSONValue {
        guard let resource = api.resources[resourceID] else { throw Self.notFound("Invalid Resource identifier specified") }
        return resource
    }

    func find(_ id: String, _ context: AWSRequestContext) throws -> RestAPI {
        guard let record = try store.resource(.restAPI, named: id) else { throw Self.invalidAPI(id, context) }
        return RestAPI(document: record.document)
    }

    @discardableResult
    private func update(_ id: String, _ context: AWSRequestContext, _ change: (inout RestAPI) throws -> Void) throws -> RestAPI {
        guard let changed: RestAPI = try store.updateDocument(.restAPI, named: id, at: context.now, change) else { throw Self.invalidAPI(id, context) }
        return changed
    }

    private static func invalidAPI(_ id: String, _ context: AWSRequestContext) -> AWSError {
        notFound("Invalid API identifier specified \(context.account):\(id)")
    }

    private static func notFound(_ message: String) -> AWSError { AWSError("NotFoundException", message, status: 404) }
    private static func badRequest(_ message: String) -> AWSError { AWSError("BadRequestException", message) }
}

extension JSONValue {
    /// The value at a path of object keys; setting creates the intermediate objects.
    subscript(path path: [String]) -> JSONValue? {
        get { path.reduce(Optional(self)) { $0?[$1] } }
        set {
            guard let first = path.first else { return }
            if path.count == 1 {
                self[first] = newValue
            } else {
                var child = self[first] ?? [:]
                child[path: Array(path.dropFirst())] = newValue
                self[first] = child
            }
        }
    }

    /// This object without `key`.
    func removing(_ key: String) -> JSONValue {
        var copy = self
        copy[key] = nil
        return copy
    }
}
