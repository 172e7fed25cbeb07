/// The label store's statements, on whichever database holds the store: SQLite through GRDB (`GRDBLabelSQL`, the
/// embedded default) or the PostgreSQL database several daemons share (PostgresControlPlane's). The store writes
/// SQL both run alike — `?` placeholders, `ON CONFLICT`, no dialect's own functions — and each implementation binds,
/// reads and numbers rows its database's way. One value is one connection inside one transaction.
package protocol LabelSQL {
    /// Runs a statement that returns no rows.
    func execute(_ sql: String, _ arguments: SQLArguments) throws
    /// Runs an `INSERT` of one row into a table keyed by `id`, and returns the row's new id.
    func insert(_ sql: String, _ arguments: SQLArguments) throws -> Int64
    /// Runs a query and returns its rows.
    func fetchAll(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow]
}

extension LabelSQL {
    package func execute(_ sql: String) throws { try execute(sql, []) }

    package func fetchAll(_ sql: String) throws -> [SQLRow] { try fetchAll(sql, []) }

    /// The query's first row, if any.
    package func fetchOne(_ sql: String, _ arguments: SQLArguments = []) throws -> SQLRow? { try fetchAll(sql, arguments).first }

    /// The first column of every row.
    package func values<T: SQLValueConvertible>(_ type: T.Type, _ sql: String, _ arguments: SQLArguments = []) throws -> [T] {
        try fetchAll(sql, arguments).map { $0[0] }
    }

    /// The first column of the first row; nil when there is no row or it is NULL.
    package func value<T: SQLValueConvertible>(_ type: T.Type, _ sql: String, _ arguments: SQLArguments = []) throws -> T? {
        guard let row = try fetchOne(sql, arguments) else { return nil }
        let value: T? = row[0]
        return value
    }
}

/// Where a `LabelStore` keeps its rows: reads see one consistent state, and every write is one transaction that no
/// other write of the store — in this process or, for a shared database, in any other daemon — runs beside, so
/// a write's checks (an image's revision, the free tier, a labeling job's progress) hold when it commits.
package protocol LabelDatabase: Sendable {
    /// Runs `body` on one snapshot of the store.
    func read<T>(_ body: (any LabelSQL) throws -> T) throws -> T
    /// Runs `body` as one write transaction: committed when it returns, rolled back when it throws.
    func write<T>(_ body: (any LabelSQL) throws -> T) throws -> T
    /// The names of the schema migrations applied so far, oldest first.
    func appliedMigrations() throws -> [String]
}
