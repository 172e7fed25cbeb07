import GRDB

extension SQLiteStoreBackend {
    /// Inserts a new resource. - Returns: false (and changes nothing) when one of that kind and name exists.
    package func insert(_ record: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool {
        try dbWriter.write { db in
            if try Self.find(record.kind, record.name, in: db) != nil { return false }
            try record.insert(db)
            try Self.setTags(tags, on: record.arn, in: db)
            return true
        }
    }

    package func resource(_ kind: ResourceKind, named name: String) throws -> ResourceRecord? {
        try dbWriter.read { db in try Self.find(kind, name, in: db) }
    }

    package func resources(_ kind: ResourceKind) throws -> [ResourceRecord] {
        try dbWriter.read { db in try ResourceRecord.filter(Column("kind") == kind.rawValue).fetchAll(db) }
    }

    package func resource(arn: String) throws -> ResourceRecord? {
        try dbWriter.read { db in try ResourceRecord.filter(Column("arn") == arn).fetchOne(db) }
    }

    /// Changes a resource in one transaction. - Returns: the record after `change`, or nil if there is none.
    package func update(_ kind: ResourceKind, named name: String, _ change: (inout ResourceRecord) throws -> Void) throws -> ResourceRecord? {
        try dbWriter.write { db in
            guard var record = try Self.find(kind, name, in: db) else { return nil }
            try change(&record)
            try record.update(db)
            return record
        }
    }

    /// Removes a resource and its tags. - Returns: whether it existed.
    package func delete(_ kind: ResourceKind, named name: String) throws -> Bool {
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
