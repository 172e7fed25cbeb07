import ControlPlane
import PostgresNIO

extension PostgresStoreBackend {
    /// Sorted by key as SQLite sorts (bytewise), whatever the database's collation.
    package func tags(of arn: String) throws -> [(key: String, value: String)] {
        try connections.withSession { session in
            try session.query("SELECT key, value FROM tag WHERE arn = \(arn) ORDER BY key COLLATE \"C\"").rows.map {
                let (key, value) = try $0.decode((String, String).self)
                return (key, value)
            }
        }
    }

    /// The resource's row is locked while the count is checked, so two daemons tagging it at once cannot together
    /// pass the limit.
    package func addTags(_ tags: [(key: String, value: String)], to arn: String, limit: Int) throws -> Bool {
        try connections.transaction { session in
            try session.query("SELECT 1 FROM resource WHERE arn = \(arn) FOR UPDATE")
            let existing = Set(try session.query("SELECT key FROM tag WHERE arn = \(arn)").rows.map { try $0.decode(String.self) })
            guard existing.union(tags.map(\.key)).count <= limit else { return false }
            try session.setTags(tags, on: arn)
            return true
        }
    }

    package func deleteTags(_ keys: [String], from arn: String) throws {
        try connections.withSession { session in
            _ = try session.query("DELETE FROM tag WHERE arn = \(arn) AND key = ANY(\(keys))")
        }
    }
}
