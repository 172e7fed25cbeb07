import LabelStore
import PostgresNIO

/// The label store in the PostgreSQL database several daemons share (`ctl serve --database`), so that every daemon
/// serves the same datasets, images, labels and labeling jobs. Each write transaction first takes one
/// transaction-level advisory lock, so label writes from every daemon run one at a time, as SQLite's single writer runs
/// them: what a write checks before it changes anything — an editor's revision (`LabelStore.apply(_:toImage:atRevision:)`
/// refuses a stale one with `.conflict`), the free tier, a labeling job's progress — still holds when it commits. A
/// read is one read-only `REPEATABLE READ` transaction: one snapshot, as a SQLite read is.
package struct PostgresLabelDatabase: LabelDatabase {
    let connections: PostgresConnections

    /// The advisory lock every label write takes ("ApiaryLB" in ASCII; the migrations take "Apiary").
    static let writeLock: Int64 = 0x4170_6961_7279_4C42

    /// Brings the database's schema up to date (once across daemons starting together) and opens the label tables.
    package init(connections: PostgresConnections) throws {
        try PostgresSchema.migrate(connections)
        self.connections = connections
    }

    package func read<T>(_ body: (any LabelSQL) throws -> T) throws -> T {
        try connections.withSession { session in
            try session.transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try body(PostgresLabelSQL(session: session))
            }
        }
    }

    package func write<T>(_ body: (any LabelSQL) throws -> T) throws -> T {
        try connections.transaction { session in
            try session.query("SELECT pg_advisory_xact_lock(\(Self.writeLock))")
            return try body(PostgresLabelSQL(session: session))
        }
    }

    /// The shared database's schema versions, `postgresql-v1` onwards (the label tables came with version 2).
    package func appliedMigrations() throws -> [String] {
        try connections.withSession { session in
            try session.query("SELECT version::bigint FROM apiary_schema_migration ORDER BY version").rows.map { row in
                let version = try row.decode(Int64.self)
                return "postgresql-v\(version)"
            }
        }
    }
}
