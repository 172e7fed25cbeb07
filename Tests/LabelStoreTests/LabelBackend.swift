import GRDB
import PostgresControlPlane
import PostgresTestSupport
import Testing

@testable import LabelStore

/// Where a test's label store lives: SQLite in memory (the embedded default), or a fresh database of the test
/// PostgreSQL cluster (what daemons sharing `--database` use). Tests of the store's core behaviours take each
/// available backend as an argument, so the same test runs on both.
enum LabelBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgresql

    /// The backends this run can test: PostgreSQL when `APIARY_TEST_DATABASE` names a cluster (scripts/test.sh).
    static var available: [LabelBackend] { TestDatabase.isConfigured ? allCases : [.sqlite] }

    var testDescription: String { rawValue }

    /// Runs `body` with an empty store on this backend, removed afterwards.
    func withStore<T>(_ body: (LabelStore) throws -> T) throws -> T {
        switch self {
        case .sqlite:
            return try body(try LabelStore.inMemory())
        case .postgresql:
            let database = try TestDatabase()
            defer { database.drop() }
            let connections = try database.connections()
            defer { connections.close() }
            return try body(LabelStore(database: try PostgresLabelDatabase(connections: connections)))
        }
    }
}

extension LabelStore {
    /// The SQLite database under a store opened on one, for the checks of SQLite's own schema and files.
    var dbWriter: any DatabaseWriter { (database as! GRDBLabelDatabase).writer }
}
