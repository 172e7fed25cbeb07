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

extension ControlPlaneStore {
    /// Inserts a new resource. - Returns: false (and changes nothing) when one of that kind and name exists.
    public func insert(_ record: ResourceRecord, tags: [(key: String, value: String)] = []) throws -> Bool {
        try dbWriter.write { db in
            if try Self.find(record.kind, record.name, in: db) != nil { return false }
            try record.insert(db)
            try Self.setTags(tags, on: record.arn, in: db)
            return true
        }
    }

    public func resource(_ kind: ResourceKind, named name: String) throws -> ResourceRecord? {
        try dbWriter.read { db in try Self.find(kind, name, in: db) }
    }

    public func resources(_ kind: ResourceKind) throws -> [ResourceRecord] {
        try dbWriter.read { db in try ResourceRecord.filter(Column("kind") == kind.rawValue).fetchAll(db) }
    }

    public func resource(arn: String) throws -> ResourceRecord? {
        try dbWriter.read { db in try ResourceRecord.filter(Column("arn") == arn).fetchOne(db) }
    }

    /// Changes a resource in one transaction. - Returns: the record after `change`, or nil if there is none.
    @discardableResult
    public func update(_ kind: ResourceKind, named name: String, _ change: (inout ResourceRecord) throws -> Void) throws -> ResourceRecord? {
        try dbWriter.write { db in
            guard var record = try Self.find(kind, name, in: db) else { return nil }
            try change(&record)
            try record.update(db)
            return record
        }
    }

    /// Removes a resource and its tags. - Returns: whether it existed.
    @discardableResult
    public func delete(_ kind: ResourceKind, named name: String) throws -> Bool {
        try dbWriter.write { db in
            guard let record = try Self.find(kind, name, in: db) else { return false }
            try db.execute(sql: "DELETE FROM tag WHERE arn = ?", arguments: [record.arn])
            return try record.delete(db)
        }
    }

    static func find(_ kind: ResourceKind, _ name: String, in db: Database) throws -> ResourceRecord? {
        try ResourceRecord.filter(Column("kind") == kind.rawValue && Column("name") == name).fetchOne(db)
    }
}
