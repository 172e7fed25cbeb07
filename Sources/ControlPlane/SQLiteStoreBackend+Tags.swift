import GRDB

extension SQLiteStoreBackend {
    /// The tags on `arn`, sorted by key.
    package func tags(of arn: String) throws -> [(key: String, value: String)] {
        try dbWriter.read { db in
            try Row.fetchAll(db, sql: "SELECT key, value FROM tag WHERE arn = ? ORDER BY key", arguments: [arn]).map { ($0["key"], $0["value"]) }
        }
    }

    /// Adds or overwrites tags on `arn`. - Returns: false (changing nothing) when the total would exceed `limit`.
    package func addTags(_ tags: [(key: String, value: String)], to arn: String, limit: Int) throws -> Bool {
        try dbWriter.write { db in
            let existing = Set(try String.fetchAll(db, sql: "SELECT key FROM tag WHERE arn = ?", arguments: [arn]))
            guard existing.union(tags.map(\.key)).count <= limit else { return false }
            try Self.setTags(tags, on: arn, in: db)
            return true
        }
    }

    package func deleteTags(_ keys: [String], from arn: String) throws {
        try dbWriter.write { db in
            for key in keys { try db.execute(sql: "DELETE FROM tag WHERE arn = ? AND key = ?", arguments: [arn, key]) }
        }
    }

    static func setTags(_ tags: [(key: String, value: String)], on arn: String, in db: Database) throws {
        for tag in tags {
            try db.execute(sql: "INSERT OR REPLACE INTO tag (arn, key, value) VALUES (?, ?, ?)", arguments: [arn, tag.key, tag.value])
        }
    }
}
