import Foundation
import LabelStore
import Logging
import PostgresControlPlane

/// The databases of the daemons a test run starts under `APIARY_TEST_DRIVER=postgresql`, one per daemon home, so that a
/// test can fill a daemon's label store before it starts, or read it after it stopped, in whichever driver it runs on
/// (`LiveDaemon.withLabelStore(home:)`).
final class LiveDaemonDatabases: @unchecked Sendable {
    static let shared = LiveDaemonDatabases()

    private let lock = NSLock()
    private var byHome: [String: SharedTestDatabase] = [:]

    /// The database of the daemon on `home`, made now if there is none yet.
    func database(for home: URL) throws -> SharedTestDatabase {
        try lock.withLock {
            if let database = byHome[home.path] { return database }
            let database = try SharedTestDatabase()
            byHome[home.path] = database
            return database
        }
    }

    /// Drops the database of the daemon on `home`.
    func drop(for home: URL) {
        lock.withLock { byHome.removeValue(forKey: home.path) }?.drop()
    }
}

extension LiveDaemon {
    /// Runs `body` on the label store the daemon on `home` serves (or will serve): `home/labels.sqlite`, or under
    /// `APIARY_TEST_DRIVER=postgresql` its database, made now if the daemon has not started yet.
    static func withLabelStore<T>(home: URL, _ body: (LabelStore) throws -> T) throws -> T {
        guard runsOnPostgreSQL else { return try body(try LabelStore.open(path: home.appendingPathComponent("labels.sqlite").path)) }
        let database = try LiveDaemonDatabases.shared.database(for: home)
        let connections = try PostgresConnections(url: try PostgresURL(database.url), size: 1, logger: Logger(label: "test"))
        defer { connections.close() }
        return try body(LabelStore(database: try PostgresLabelDatabase(connections: connections)))
    }
}
