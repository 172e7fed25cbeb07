import AWSProtocol
import ControlPlane

/// Create / Describe / List / Delete for the SageMaker resources that are plain registry entries (models,
/// endpoint configurations): one implementation, parameterised by the resource's member names and messages.
struct RegistryOperations {
    let kind: ResourceKind
    /// How AWS's messages name the kind: `model`, `endpoint configuration`.
    let noun: String
    /// The request member holding the name (`ModelName`) and the response member holding the ARN (`ModelArn`).
    let nameMember: String
    let arnMember: String
    /// The List answer's array member (`Models`).
    let listMember: String
    let store: ControlPlaneStore

    /// Stores the request as the resource's Describe document (minus `Tags`, plus ARN and creation time).
    func create(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let name = try requiredName(input)
        let arn = context.arn(kind, name)
        var document = input
        document["Tags"] = nil
        document[arnMember] = .string(arn)
        document["CreationTime"] = .double(context.now)
        let record = ResourceRecord(
            kind: kind, name: name, arn: arn, creationTime: context.now, lastModifiedTime: context.now, status: nil, document: document)
        guard try store.insert(record, tags: TagOperations.tags(in: input)) else {
            throw AWSError.validation("Cannot create already existing \(noun) \"\(arn)\".")
        }
        return [arnMember: .string(arn)]
    }

    func describe(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        try existing(input, context).document
    }

    func delete(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let name = try requiredName(input)
        guard try store.delete(kind, named: name) else { throw notFound(name, context) }
        return [:]
    }

    /// Lists with the common filters; `Name|CreationTime` sorting, newest first by default.
    func list(_ input: JSONValue) throws -> JSONValue {
        let query = try ListQuery(input, defaultAscending: false, sortKeys: [.name, .creationTime])
        let (items, next) = try query.page(try store.resources(kind))
        var output: JSONValue = [
            listMember: .array(items.map { [nameMember: .string($0.name), arnMember: .string($0.arn), "CreationTime": .double($0.creationTime)] })
        ]
        if let next { output["NextToken"] = .string(next) }
        return output
    }

    func existing(_ input: JSONValue, _ context: AWSRequestContext) throws -> ResourceRecord {
        let name = try requiredName(input)
        guard let record = try store.resource(kind, named: name) else { throw notFound(name, context) }
        return record
    }

    /// AWS's not-found answer for these kinds: `ValidationException: Could not find model "<arn>".`
    func notFound(_ name: String, _ context: AWSRequestContext) -> AWSError {
        AWSError.validation("Could not find \(noun) \"\(context.arn(kind, name))\".")
    }

    func requiredName(_ input: JSONValue) throws -> String {
        guard let name = input[nameMember]?.stringValue else {
            throw AWSError.missingMember(nameMember)
        }
        return name
    }
}
