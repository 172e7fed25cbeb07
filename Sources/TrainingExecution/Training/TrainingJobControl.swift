import ControlPlane
import Foundation
import Logging

/// Why the daemon wants a running job to end between batches.
enum StopRequest: Sendable, Equatable {
    /// StopTrainingJob: end Stopped.
    case userStop
    /// The daemon is shutting down (or the worker lost its lease): keep the job InProgress and queued; it resumes
    /// from its checkpoint.
    case shutdown
}

/// A worker's hold on one claimed job: the stop flag its run polls between batches — each poll renews the lease
/// when a third of it has passed, so a job that keeps running keeps its lease, and learns of a stop another daemon
/// took (`JobLease.stopRequested`) — and the one way the run records its end (`complete`, `fail`), through the lease.
package final class TrainingJobControl: @unchecked Sendable {
    let job: QueuedJob
    private let queue: any TrainingJobQueue
    private let clock: @Sendable () -> Double
    private let condition = NSCondition()
    private var lease: JobLease
    private var reason: StopRequest?
    private var ended = false

    init(lease: JobLease, queue: any TrainingJobQueue, clock: @escaping @Sendable () -> Double) {
        job = lease.job
        self.lease = lease
        self.queue = queue
        self.clock = clock
        if lease.stopRequested { reason = .userStop }
    }

    func request(_ reason: StopRequest) {
        condition.withLock {
            if self.reason == nil { self.reason = reason }
            condition.broadcast()
        }
    }

    /// The stop asked for, if any; renews the lease when it is due (a lost lease asks for `shutdown`).
    var requested: StopRequest? {
        let now = clock()
        let due = condition.withLock { reason == nil && !ended && now >= lease.expires - queue.leaseDuration * 2 / 3 ? lease : nil }
        if let due {
            let renewed = try? queue.heartbeat(due, now: now)
            condition.withLock {
                if let renewed {
                    lease = renewed
                    // A stop taken by another daemon (a shared queue) reaches this worker here.
                    if renewed.stopRequested, reason == nil { reason = .userStop }
                } else if reason == nil {
                    reason = .shutdown
                }
            }
        }
        return condition.withLock { reason }
    }

    /// Blocks until a stop is asked for: for a run that waits instead of polling.
    func waitForRequest() -> StopRequest {
        condition.withLock {
            while reason == nil { condition.wait() }
            return reason!
        }
    }

    /// The job reached `Completed` or `Stopped` (or had nothing to run): `change` writes it as the job leaves the queue.
    func complete(_ change: TrainingJobQueue.Change) throws {
        try queue.complete(currentLease(), change)
        condition.withLock { ended = true }
    }

    /// The job failed: `change` writes `Failed` as the job leaves the queue.
    func fail(_ change: TrainingJobQueue.Change) throws {
        try queue.fail(currentLease(), change)
        condition.withLock { ended = true }
    }

    /// After the run: a job it did not end stays queued for the next start (or another worker).
    func releaseUnlessEnded(logger: Logger) {
        guard let lease = condition.withLock({ ended ? nil : lease }) else { return }
        do {
            try queue.release(lease)
        } catch {
            logger.error("cannot release a training job's lease", metadata: ["job": "\(job)", "error": "\(error)"])
        }
    }

    private func currentLease() -> JobLease { condition.withLock { lease } }
}
