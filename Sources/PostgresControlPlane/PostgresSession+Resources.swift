import AWSProtocol
import ControlPlane
import PostgresNIO

/// Resource records and tags in the shared database, as the queue's transactions read and write them (the same
/// rows as `ControlPlaneStore`'s `resource` and `tag` tables).
extension PostgresSession {
    /// A resource's record; `forUpdate` locks its row until the transaction ends, for a change made in it.
    package func resource(_ kind: ResourceKind, _ name: String, forUpdate: Bool = false) throws -> ResourceRecord? {
        let rows = try query(
            """
            SELECT kind, name, arn, creation_time, last_modified_time, status, document FROM resource
            WHERE kind = \(kind.rawValue) AND name = \(name) \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """
        ).rows
        return try rows.first.map(Self.record)
    }

    /// - Returns: false (changing nothing) when a resource of that kind and name (or that ARN) exists.
    package func insert(_ record: ResourceRecord) throws -> Bool {
        try execute(
            """
            INSERT INTO resource (kind, name, arn, creation_time, last_modified_time, status, document)
            VALUES (\(record.kind.rawValue), \(record.name), \(record.arn), \(record.creationTime), \(record.lastModifiedTime),
                    \(record.status), \(record.document.rendered()))
            ON CONFLICT DO NOTHING
            """
        ) == 1
    }

    /// Writes back a record's changing fields (identified by kind and name).
    package func update(_ record: ResourceRecord) throws {
        try query(
            """
            UPDATE resource SET arn = \(record.arn), creation_time = \(record.creationTime),
                last_modified_time = \(record.lastModifiedTime), status = \(record.status), document = \(record.document.rendered())
            WHERE kind = \(record.kind.rawValue) AND name = \(record.name)
            """
        )
    }

    /// Applies `change` to a job's record, locked for this transaction; nothing when it has no record.
    package func change(_ job: QueuedJob, _ change: (inout ResourceRecord) throws -> Void) throws {
        _ = try self.change(job.kind, job.name, change)
    }

    /// Applies `change` to a resource's record, locked for this transaction. - Returns: the changed record, or nil.
    package func change(_ kind: ResourceKind, _ name: String, _ change: (inout ResourceRecord) throws -> Void) throws -> ResourceRecord? {
        guard var record = try resource(kind, name, forUpdate: true) else { return nil }
        try change(&record)
        try update(record)
        return record
    }

    /// Records a new job with its tags and queues its `QueueEntry` (inside the caller's transaction).
    /// - Returns: false (changing nothing) when it exists: the primary key decides, across daemons, not a read before the write.
    package func insertQueued(_ record: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool {
        guard try insert(record) else { return false }
        try setTags(tags, on: record.arn)
        // How many workers' slots the job's gang needs (`GangScheduling`); 1 for every job that runs on one worker.
        let instances = record.kind == .trainingJob ? max(1, record.document["ResourceConfig"]?["InstanceCount"]?.intValue ?? 1) : 1
        try query("INSERT INTO training_queue (name, instances) VALUES (\(QueueEntry.entry(record.kind, record.name)), \(instances))")
        return true
    }

    /// Adds or overwrites tags on `arn`.
    package func setTags(_ tags: [(key: String, value: String)], on arn: String) throws {
        for tag in tags {
            try query(
                """
                INSERT INTO tag (arn, key, value) VALUES (\(arn), \(tag.key), \(tag.value))
                ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value
                """
            )
        }
    }

    package static func record(_ row: PostgresRow) throws -> ResourceRecord {
        let (kind, name, arn, created, modified, status, document) = try row.decode((String, String, String, Double, Double, String?, String).self)
        guard let resourceKind = ResourceKind(rawValue: kind) else {
            throw PostgresDatabaseError.unreadableRow("unknown resource kind \(kind) in the resource table")
        }
        return ResourceRecord(
            kind: resourceKind,
            name: name,
            arn: arn,
            creationTime: created,
            lastModifiedTime: modified,
            status: status,
            document: try JSONValue.parse(Array(document.utf8))
        )
    }
}
