import Foundation
import Logging
import ObjectStore
import ServiceLifecycle

/// `ctl worker`: a node with no API that runs the training and transform jobs of a shared PostgreSQL queue with the
/// daemon's own workers (`QueueParts`), reading channels from and writing models, checkpoints and transform outputs to
/// a daemon's S3 API (`objectEndpoint`) or an object store directory every node shares; its work directories (local
/// checkpoints, downloaded channels) in its home's `jobs/`. SIGTERM/SIGINT has running jobs checkpoint and stay
/// queued, as a daemon's shutdown does; the home's lock is let go last.
/// Returns once the workers have exited.
/// - Throws: `DaemonConfigurationError` (no database, a database that does not answer, an S3 endpoint that does not
///   answer or refuses the credentials), `HomeLockError`.
public func runWorker(configuration: DaemonConfiguration, logger: Logger) async throws {
    guard configuration.database != nil else {
        throw DaemonConfigurationError(
            "a worker runs the jobs of a shared PostgreSQL database: pass --database postgresql://user@host:port/database (or set APIARY_DATABASE), the one `ctl serve --database` uses")
    }
    guard configuration.trainingConcurrency >= 1 else {
        throw DaemonConfigurationError("--concurrency must be 1 or more, got \(configuration.trainingConcurrency)")
    }
    let objects = try workerObjects(configuration)
    try FileManager.default.createDirectory(at: configuration.home, withIntermediateDirectories: true)
    let homeLock = try HomeLock(home: configuration.home)
    let parts = try QueueParts(configuration: configuration, objects: objects, logger: logger)
    try parts.queue.recoverInterruptedJobs()
    let place = configuration.objectEndpoint.map { "\($0.url.absoluteString) (S3 API)" } ?? configuration.objectStoreDirectory.path
    logger.info("worker started", metadata: ["concurrency": "\(configuration.trainingConcurrency)", "objects": "\(place)"])
    try await ServiceGroup(
        configuration: .init(services: [.init(service: homeLock), .init(service: parts.queue)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    ).run()
}

/// The worker's object store: a daemon's S3 API, checked once here (it answers, as Apiary, and takes the
/// credentials), or the directory every node shares.
private func workerObjects(_ configuration: DaemonConfiguration) throws -> any ObjectStorage {
    guard let endpoint = configuration.objectEndpoint else { return ObjectStore(root: configuration.objectStoreDirectory) }
    guard configuration.objectStore == nil else {
        throw DaemonConfigurationError("pass either --endpoint-url (a daemon's S3 API) or --object-store DIR (a shared directory), not both")
    }
    let url = endpoint.url.absoluteString
    let remote = RemoteObjectStore(endpoint: endpoint, scratch: configuration.home.appendingPathComponent("tmp", isDirectory: true))
    do {
        try remote.checkAccess()
    } catch let error as S3ClientError {
        switch error {
        case .unreachable(_, let reason):
            throw DaemonConfigurationError(
                "cannot reach the daemon's S3 API at \(url) (--endpoint-url): \(reason). Is `ctl serve` running there and reachable from this host? "
                    + "Pass the URL it printed (e.g. http://daemon-host:4566; a daemon on another host needs --host 0.0.0.0 --allow-remote).")
        case .notApiary(_, let server):
            throw DaemonConfigurationError("\(url) (--endpoint-url) is not Apiary (\(server)): pass the URL `ctl serve` printed.")
        case .refused(_, let code, let message) where error.isCredentialError:
            throw DaemonConfigurationError(
                "the daemon at \(url) refused this worker's credentials (\(code): \(message)). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                    + "to a pair the daemon accepts (its --credentials or APIARY_CREDENTIALS).")
        case .refused(_, let code, let message):
            throw DaemonConfigurationError("the daemon's S3 API at \(url) (--endpoint-url) answered ListBuckets with \(code): \(message)")
        }
    }
    return remote
}
