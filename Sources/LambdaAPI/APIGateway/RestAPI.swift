import AWSProtocol
import Foundation

/// A REST API as stored (a `rest-api` resource): the RestApi answer, its resource tree (each resource with its
/// methods and their integrations embedded, as `GetResources?embed=methods` shows them), its deployments
/// (each a frozen snapshot of the tree and `binaryMediaTypes`) and its stages.
struct RestAPI: Sendable, StoredDocument {
    var api: JSONValue
    var resources: [String: JSONValue]
    var deployments: [String: JSONValue]
    var stages: [String: JSONValue]

    var id: String { api["id"]?.stringValue ?? "" }
    var binaryMediaTypes: [String] { api["binaryMediaTypes"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    init(api: JSONValue, resources: [String: JSONValue]) {
        self.api = api
        self.resources = resources
        deployments = [:]
        stages = [:]
    }

    init(document: JSONValue) {
        api = document["api"] ?? [:]
        resources = document["resources"]?.objectValue ?? [:]
        deployments = document["deployments"]?.objectValue ?? [:]
        stages = document["stages"]?.objectValue ?? [:]
    }

    var document: JSONValue {
        ["api": api, "resources": .object(resources), "deployments": .object(deployments), "stages": .object(stages)]
    }

    /// A random id of `count` characters from `[a-z0-9]` (API ids are 10, resource ids 10, deployment ids 6).
    static func newID(_ count: Int) -> String {
        String((0..<count).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
    }

    /// Whether `contentType` matches one of `types` (exact, `type/*` or `*/*`), ignoring parameters and case.
    static func isBinary(_ contentType: String?, _ types: [String]) -> Bool {
        guard let contentType, let media = contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased(),
            !media.isEmpty
        else { return false }
        let major = media.split(separator: "/").first.map(String.init) ?? media
        return types.contains { type in
            let type = type.lowercased()
            return type == media || type == "*/*" || type == "\(major)/*"
        }
    }
}
