import AWSProtocol
import Foundation
import GRDB

/// The kinds of resource the control plane keeps (SageMaker's, Lambda functions and API Gateway REST APIs).
public enum ResourceKind: String, Sendable, CaseIterable {
    case trainingJob = "training-job"
    case model
    case endpointConfig = "endpoint-config"
    case endpoint
    case labelingJob = "labeling-job"
    case transformJob = "transform-job"
    case lambdaFunction = "lambda-function"
    case restAPI = "rest-api"
}

/// One SageMaker resource as stored: its identity, the fields lists filter and sort on, and its Describe answer.
public struct ResourceRecord: Sendable, Equatable {
    public var kind: ResourceKind
    public var name: String
    public var arn: String
    public var creationTime: Double
    public var lastModifiedTime: Double
    public var status: String?
    /// The Describe answer, kept current with every change.
    public var document: JSONValue

    package init(
        kind: ResourceKind, name: String, arn: String, creationTime: Double, lastModifiedTime: Double, status: String?, document: JSONValue
    ) {
        self.kind = kind
        self.name = name
        self.arn = arn
        self.creationTime = creationTime
        self.lastModifiedTime = lastModifiedTime
        self.status = status
        self.document = document
    }
}

extension ResourceRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "resource"

    public init(row: Row) throws {
        guard let kind = ResourceKind(rawValue: row["kind"]) else {
            throw DatabaseError(message: "unknown resource kind \(String(describing: row["kind"] as String?))")
        }
        self.kind = kind
        name = row["name"]
        arn = row["arn"]
        creationTime = row["creationTime"]
        lastModifiedTime = row["lastModifiedTime"]
        status = row["status"]
        document = try JSONValue.parse(Array((row["document"] as String).utf8))
    }

    public func encode(to container: inout PersistenceContainer) {
        container["kind"] = kind.rawValue
        container["name"] = name
        container["arn"] = arn
        container["creationTime"] = creationTime
        container["lastModifiedTime"] = lastModifiedTime
        container["status"] = status
        container["document"] = document.rendered()
    }
}
