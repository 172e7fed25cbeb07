import ControlPlane
import PostgresNIO

/// `ControlPlaneStore`'s rows in the PostgreSQL database several daemons share (the tables of `PostgresSchema`):
/// what one daemon writes every other one reads at once. Each method is one transaction on a connection of its own;
/// a resource's kind and name (and its ARN) are primary keys, so two daemons creating one name cannot both succeed,
/// and a read-modify-write locks the row it changes (`FOR UPDATE`) so changes from several daemons never interleave.
package struct PostgresStoreBackend: ControlPlaneBackend {
    let connections: PostgresConnections

    /// Brings the database's schema up to date (once across daemons starting together) and opens the store on it.
    package init(connections: PostgresConnections) throws {
        try PostgresSchema.migrate(connections)
        self.connections = connections
    }

    package func insert(_ record: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool {
        try connections.transaction { session in
            guard try session.insert(record) else { return false }
            try session.setTags(tags, on: record.arn)
            return true
        }
    }

    package func resource(_ kind: ResourceKind, named name: String) throws -> ResourceRecord? {
        try connections.withSession { try $0.resource(kind, name) }
    }

    /// In creation order (SQLite's answer comes in insertion order; callers sort as their API says).
    package func resources(_ kind: ResourceKind) throws -> [ResourceRecord] {
        try connections.withSession { session in
            try session.query(
                """
                SELECT kind, name, arn, creation_time, last_modified_time, status, document FROM resource
                WHERE kind = \(kind.rawValue) ORDER BY creation_time, name COLLATE "C"
                """
            ).rows.map(PostgresSession.record)
        }
    }

    package func resource(arn: String) throws -> ResourceRecord? {
        try connections.withSession { session in
            try session.query(
                "SELECT kind, name, arn, creation_time, last_modified_time, status, document FROM resource WHERE arn = \(arn)"
            ).rows.first.map(PostgresSession.record)
        }
    }

    package func update(_ kind: ResourceKind, named name: String, _ change: (inout ResourceRecord) throws -> Void) throws -> ResourceRecord? {
        try connections.transaction { try $0.change(kind, name, change) }
    }

    package func delete(_ kind: ResourceKind, named name: String) throws -> Bool {
        try connections.transaction { session in
            let arns = try session.query(
                "DELETE FROM resource WHERE kind = \(kind.rawValue) AND name = \(name) RETURNING arn"
            ).rows.map { try $0.decode(String.self) }
            for arn in arns { try session.query("DELETE FROM tag WHERE arn = \(arn)") }
            return !arns.isEmpty
        }
    }

    /// Empties every table of the shared database: every daemon on it sees the reset.
    package func wipe() throws {
        try connections.transaction { session in
            for table in ["tag", "training_queue", "log_event", "log_stream", "resource"] {
                try session.query("DELETE FROM \(unescaped: table)")
            }
        }
    }
}
