import AWSProtocol
import ControlPlane
import Foundation
import Logging
import ObjectStore
import PostgresControlPlane
import TrainingExecution

/// What runs queued jobs — the control plane store and the training queue's workers over it and an object store —
/// assembled in one place for `ctl serve` (`DaemonParts`) and `ctl worker` (`runWorker`), so a worker node runs,
/// logs, stops and resumes jobs exactly as a daemon's own workers do.
struct QueueParts {
    let store: ControlPlaneStore
    let queue: TrainingQueue
    /// The shared database's connections, when there is one (the daemon keeps its label store there too).
    let sharedDatabase: PostgresConnections?

    /// Opens the home's `state.sqlite`, or the shared PostgreSQL database when `configuration.database` is set.
    /// - Parameter objects: the daemon's object store, or the one a worker node reaches (a shared directory or a
    ///   daemon's S3 API).
    /// - Throws: `DaemonConfigurationError` for a database that does not parse or answer, or an error opening SQLite.
    init(configuration: DaemonConfiguration, objects: any ObjectStorage, logger: Logger) throws {
        let shared = try configuration.database.map {
            try Self.openShared($0, concurrency: configuration.trainingConcurrency, leaseSeconds: configuration.leaseSeconds, logger: logger)
        }
        store = try shared?.store ?? ControlPlaneStore.open(path: configuration.home.appendingPathComponent("state.sqlite").path)
        sharedDatabase = shared?.connections
        queue = TrainingQueue(
            store: store, shared: shared.map { ($0.queue, pollInterval: Self.sharedQueuePollInterval, advertisedHost: configuration.advertiseHost) },
            objects: objects,
            jobsDirectory: configuration.home.appendingPathComponent("jobs", isDirectory: true), rankExecutable: configuration.rankExecutable,
            concurrency: configuration.trainingConcurrency, logger: logger)
    }

    /// How often idle workers look at a shared queue for jobs other nodes queued and for expired leases.
    static let sharedQueuePollInterval = 2.0

    /// The control plane and queue in the PostgreSQL database at `url`, its schema brought up to date, the queue's
    /// leases lasting `leaseSeconds`, and the connections they share.
    /// - Throws: `DaemonConfigurationError` saying what is wrong (a URL that does not parse or answer, a newer schema).
    static func openShared(
        _ url: String, concurrency: Int, leaseSeconds: Double, logger: Logger
    ) throws -> (store: ControlPlaneStore, queue: PostgresJobQueue, connections: PostgresConnections) {
        do {
            // One connection per worker thread and one per running job's heartbeats, the rest for request handlers
            // and the lease recovery.
            let connections = try PostgresConnections(url: try PostgresURL(url), size: 2 * concurrency + 8, logger: logger)
            let store = ControlPlaneStore(backend: try PostgresStoreBackend(connections: connections))
            return (store, try PostgresJobQueue(connections: connections, leaseDuration: leaseSeconds), connections)
        } catch let error as PostgresDatabaseError {
            throw DaemonConfigurationError(error.description)
        }
    }
}
