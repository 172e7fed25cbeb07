import AWSProtocol
import ControlPlane
import Foundation
import Logging
import ObjectStore
import ServiceLifecycle

extension TrainingQueue: Service {
    /// The daemon's queue: training jobs run by a `TrainingWorker`, batch transform jobs (`transform-job/<name>`) by a
    /// `TransformWorker`, both on the queue's worker threads; `rankExecutable` is the `ctl` that runs the ranks of
    /// multi-instance training jobs.
    /// - Parameters:
    ///   - shared: the queue several daemons share (with how often idle workers poll it, and the name this node is
    ///     reachable at for the hostfiles of multi-instance jobs' gangs), or nil for the daemon's own `SQLiteJobQueue`
    ///     over `store`.
    package convenience init(
        store: ControlPlaneStore, shared: (jobs: any TrainingJobQueue, pollInterval: Double, advertisedHost: String)? = nil,
        objects: any ObjectStorage, jobsDirectory: URL, rankExecutable: URL, concurrency: Int, logger: Logger
    ) {
        let training = TrainingWorker(
            store: store, objects: objects, jobsDirectory: jobsDirectory, rankExecutable: rankExecutable, advertisedHost: shared?.advertisedHost,
            logger: logger)
        let transform = TransformWorker(store: store, objects: objects, logger: logger)
        self.init(
            jobs: shared?.jobs ?? SQLiteJobQueue(store: store), concurrency: concurrency, clock: { AWSTimestamp.seconds(Date()) },
            logger: logger, pollInterval: shared?.pollInterval, advertisedHost: shared?.advertisedHost
        ) { job, control in
            if job.kind == .transformJob { transform.run(job.name, control: control) } else { training.run(job.name, control: control) }
        }
    }

    /// Runs the workers until the daemon shuts down, then has running jobs checkpoint (they stay queued and resume on
    /// the next start) and waits for every worker to exit, off Swift's cooperative pool.
    package func run() async throws {
        start()
        try? await gracefulShutdown()
        logger.info("shutting down: checkpointing running training jobs")
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                self.shutdown()
                done.resume()
            }.start()
        }
    }
}
