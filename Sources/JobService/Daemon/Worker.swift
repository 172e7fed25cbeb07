import Foundation
import Logging
import ServiceLifecycle

/// `ctl worker`: a node with no API that runs the training and transform jobs of a shared PostgreSQL queue with the
/// daemon's own workers (`QueueParts`), reading channels from and writing models to the object store directory every
/// node shares, its checkpoints in its home's `jobs/`. SIGTERM/SIGINT has running jobs checkpoint and stay queued,
/// as a daemon's shutdown does; the home's lock is let go last.
/// Returns once the workers have exited.
/// - Throws: `DaemonConfigurationError` (no database, a database that does not answer), `HomeLockError`.
public func runWorker(configuration: DaemonConfiguration, logger: Logger) async throws {
    guard configuration.database != nil else {
        throw DaemonConfigurationError(
            "a worker runs the jobs of a shared PostgreSQL database: pass --database postgresql://user@host:port/database (or set APIARY_DATABASE), the one `ctl serve --database` uses")
    }
    guard configuration.trainingConcurrency >= 1 else {
        throw DaemonConfigurationError("--concurrency must be 1 or more, got \(configuration.trainingConcurrency)")
    }
    try FileManager.default.createDirectory(at: configuration.home, withIntermediateDirectories: true)
    let homeLock = try HomeLock(home: configuration.home)
    let parts = try QueueParts(configuration: configuration, logger: logger)
    try parts.queue.recoverInterruptedJobs()
    logger.info("worker started", metadata: ["concurrency": "\(configuration.trainingConcurrency)", "objects": "\(configuration.objectStoreDirectory.path)"])
    try await ServiceGroup(
        configuration: .init(services: [.init(service: homeLock), .init(service: parts.queue)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    ).run()
}
