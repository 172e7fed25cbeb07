import AWSProtocol
import ControlPlane
import Foundation

/// AddTags, ListTags, DeleteTags on any stored resource, by ARN.
struct TagOperations {
    /// SageMaker's limit of tags per resource.
    static let limit = 50
    let store: ControlPlaneStore

    /// The `Tags` member of a request as key/value pairs.
    static func tags(in input: JSONValue) -> [(key: String, value: String)] {
        (input["Tags"]?.arrayValue ?? []).compactMap { tag in
            tag["Key"]?.stringValue.map { ($0, tag["Value"]?.stringValue ?? "") }
        }
    }

    static func render(_ tags: [(key: String, value: String)]) -> JSONValue {
        .array(tags.map { ["Key": .string($0.key), "Value": .string($0.value)] })
    }

    func add(_ input: JSONValue) throws -> JSONValue {
        let arn = try existingARN(input)
        let tags = Self.tags(in: input)
        guard try store.addTags(tags, to: arn, limit: Self.limit) else {
            throw AWSError.resourceLimitExceeded("A resource can have at most \(Self.limit) tags; adding these would exceed that.")
        }
        return ["Tags": Self.render(tags)]
    }

    func list(_ input: JSONValue) throws -> JSONValue {
        let arn = try existingARN(input)
        let maxResults = input["MaxResults"]?.intValue ?? 50
        var tags = try store.tags(of: arn)
        if let token = input["NextToken"]?.stringValue {
            guard let data = Data(base64Encoded: token), let after = String(data: data, encoding: .utf8) else {
                throw AWSError.validation("Invalid pagination token.")
            }
            tags.removeAll { $0.key <= after }
        }
        var output: JSONValue = ["Tags": Self.render(Array(tags.prefix(maxResults)))]
        if tags.count > maxResults, let last = tags.prefix(maxResults).last {
            output["NextToken"] = .string(Data(last.key.utf8).base64EncodedString())
        }
        return output
    }

    func delete(_ input: JSONValue) throws -> JSONValue {
        let arn = try existingARN(input)
        try store.deleteTags((input["TagKeys"]?.arrayValue ?? []).compactMap(\.stringValue), from: arn)
        return [:]
    }

    private func existingARN(_ input: JSONValue) throws -> String {
        guard let arn = input["ResourceArn"]?.stringValue else {
            throw AWSError.missingMember("ResourceArn")
        }
        guard try store.resource(arn: arn) != nil else {
            throw AWSError.validation("Could not find resource \"\(arn)\".")
        }
        return arn
    }
}
