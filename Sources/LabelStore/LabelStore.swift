import GRDB

/// The Ground Truth side of Apiary: datasets of images and their bounding-box labels, in one SQLite file — or, for
/// daemons that share one PostgreSQL database (`ctl serve --database`), in that database.
///
/// One `LabelStore` owns its database (a `DatabasePool` on `$APIARY_HOME/labels.sqlite` for `ctl` and the daemon, an
/// in-memory `DatabaseQueue` in tests, or PostgresControlPlane's `PostgresLabelDatabase`) and migrates the schema when
/// it opens. Every write is one transaction: it happens whole or not at all, even if the process is killed half-way.
public struct LabelStore: Sendable {
    /// Also read whole, row by row, when a store is copied into another database (PostgresControlPlane's copy).
    package let database: any LabelDatabase

    /// Opens the store on `dbWriter` and brings its schema up to date.
    /// - Parameter dbWriter: the database connection; connect to a file only once per process.
    public init(_ dbWriter: any DatabaseWriter) throws {
        database = try GRDBLabelDatabase(dbWriter, migrator: Self.migrator)
    }

    /// Opens the store on another database than SQLite (its schema already brought up to date by its owner).
    package init(database: any LabelDatabase) {
        self.database = database
    }

    /// Opens (creating if needed) the store's file in WAL mode, so readers never block the writer.
    /// - Parameter path: the SQLite file, e.g. `$APIARY_HOME/labels.sqlite`.
    /// Several processes may share the file (`ctl` next to the daemon): a writer waits up to 10 s for another's
    /// transaction (GRDB begins write transactions IMMEDIATE, so two writers never deadlock).
    public static func open(path: String) throws -> LabelStore {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        return try LabelStore(DatabasePool(path: path, configuration: configuration))
    }

    /// An empty store in memory, for tests and dry runs.
    public static func inMemory() throws -> LabelStore {
        try LabelStore(DatabaseQueue())
    }

    /// The names of the migrations applied so far, oldest first.
    public func appliedMigrations() throws -> [String] {
        try database.appliedMigrations()
    }
}
