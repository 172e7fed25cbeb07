import GRDB

/// The Ground Truth side of Apiary: datasets of images and their bounding-box labels, in one SQLite file.
///
/// One `LabelStore` owns its database writer (a `DatabasePool` on `$APIARY_HOME/labels.sqlite` for `ctl` and the
/// daemon, an in-memory `DatabaseQueue` in tests) and migrates the schema when it opens. Every write is one
/// transaction: it happens whole or not at all, even if the process is killed half-way.
public struct LabelStore: Sendable {
    let dbWriter: any DatabaseWriter

    /// Opens the store on `dbWriter` and brings its schema up to date.
    /// - Parameter dbWriter: the database connection; connect to a file only once per process.
    public init(_ dbWriter: any DatabaseWriter) throws {
        self.dbWriter = dbWriter
        try Self.migrator.migrate(dbWriter)
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
        try dbWriter.read { db in try Self.migrator.appliedMigrations(db) }
    }
}
