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

/// A worker's hold on one claimed job: the stop flag its run polls between batches; the lease's renewal every third
/// of its duration (`startHeartbeats`, on a thread of its own, so a job keeps its lease however long a batch takes,
/// and learns of a stop another daemon took through `JobLease.stopRequested`); and the one way the run records its
/// end (`complete`, `fail`), through the lease.
///
/// The database may not answer for a while (a restart): a heartbeat that fails is tried again every second, and the
/// job runs on while its lease lasts; only when a third of the lease is left unrenewed does the run stop (as for a
/// shutdown, the job staying queued), so that it has ended before another node may recover the lease. An end that
/// cannot be written is tried again the same way until the lease expires.
package final class TrainingJobControl: @unchecked Sendable {
    let job: QueuedJob
    private let queue: any TrainingJobQueue
    let clock: @Sendable () -> Double
    private let logger: Logger
    private let condition = NSCondition()
    private var lease: JobLease
    private var reason: StopRequest?
    /// The end is recorded or the lease let go: the heartbeats stop.
    private var finished = false

    init(lease: JobLease, queue: any TrainingJobQueue, clock: @escaping @Sendable () -> Double, logger: Logger) {
        job = lease.job
        self.lease = lease
        self.queue = queue
        self.clock = clock
        self.logger = logger
        if lease.stopRequested { reason = .userStop }
    }

    func request(_ reason: StopRequest) {
        condition.withLock {
            if self.reason == nil { self.reason = reason }
            condition.broadcast()
        }
    }

    /// The stop asked for, if any.
    var requested: StopRequest? { condition.withLock { reason } }

    /// Blocks until a stop is asked for: for a run that waits instead of polling.
    func waitForRequest() -> StopRequest {
        condition.withLock {
            while reason == nil { condition.wait() }
            return reason!
        }
    }

    /// Blocks until a stop is asked for or `seconds` have passed. - Returns: the stop asked for, if any.
    func wait(upTo seconds: Double) -> StopRequest? {
        condition.withLock {
            let deadline = Date(timeIntervalSinceNow: seconds)
            while reason == nil, condition.wait(until: deadline) {}
            return reason
        }
    }

    /// The lease as last renewed.
    var currentLease: JobLease { condition.withLock { lease } }

    /// The job's queue when it schedules the gangs of multi-instance jobs across nodes (a shared database).
    var gangs: (any GangScheduling)? { queue as? any GangScheduling }

    /// Renews the lease from a thread of its own until the job's end is recorded or its lease let go: it looks every
    /// second (less for leases under 6 s) whether a renewal is due.
    func startHeartbeats() {
        let thread = Thread { [self] in
            let tick = min(1, queue.leaseDuration / 6)
            while condition.withLock({
                let deadline = Date(timeIntervalSinceNow: tick)
                while !finished, condition.wait(until: deadline) {}
                return !finished
            }) {
                renewLease()
            }
        }
        thread.name = "apiary-lease-\(job.name)"
        thread.start()
    }

    /// Renews the lease once a third of it has passed since its last renewal (and, after a renewal that failed, at
    /// every call until one goes through); a stopping run keeps its lease until its end is written. A lease found
    /// lost asks for `shutdown`; so does a database that has not answered until only a third of the lease is left.
    func renewLease() {
        let now = clock()
        let third = queue.leaseDuration / 3
        guard let due = condition.withLock({ !finished && now >= lease.expires - 2 * third ? lease : nil }) else { return }
        do {
            let renewed = try queue.heartbeat(due, now: now)
            condition.withLock {
                if let renewed {
                    lease = renewed
                    // A stop taken by another daemon (a shared queue) reaches this worker here.
                    if renewed.stopRequested, reason == nil { reason = .userStop }
                } else if reason == nil {
                    reason = .shutdown
                }
                condition.broadcast()
            }
            if renewed == nil { logger.warning("training job's lease was lost; stopping its run", metadata: ["job": "\(job)"]) }
        } catch let error where now >= due.expires - third {
            logger.error(
                "cannot renew a training job's lease, and a third of it is left: stopping its run (it stays queued)",
                metadata: ["job": "\(job)", "error": "\(error)"])
            request(.shutdown)
        } catch {
            logger.warning("cannot renew a training job's lease; trying again", metadata: ["job": "\(job)", "error": "\(error)"])
        }
    }

    /// The job reached `Completed` or `Stopped` (or had nothing to run): `change` writes it as the job leaves the queue.
    func complete(_ change: @escaping TrainingJobQueue.Change) throws {
        try end(change) { try self.queue.complete($0, $1) }
    }

    /// The job failed: `change` writes `Failed` as the job leaves the queue.
    func fail(_ change: @escaping TrainingJobQueue.Change) throws {
        try end(change) { try self.queue.fail($0, $1) }
    }

    /// After the run: a job it did not end stays queued for the next start (or another worker).
    func releaseUnlessEnded(logger: Logger) {
        guard
            let lease = condition.withLock({ () -> JobLease? in
                defer {
                    finished = true
                    condition.broadcast()
                }
                return finished ? nil : lease
            })
        else { return }
        do {
            try queue.release(lease)
        } catch {
            logger.error("cannot release a training job's lease", metadata: ["job": "\(job)", "error": "\(error)"])
        }
    }

    /// Records the end through the current lease; one the database did not take is tried again every second until
    /// the lease expires (the heartbeats go on meanwhile). A lost lease or an error of `change` itself is thrown at once.
    private func end(_ change: @escaping TrainingJobQueue.Change, _ record: (JobLease, @escaping TrainingJobQueue.Change) throws -> Void) throws {
        let ownChange: TrainingJobQueue.Change = { job in
            do { try change(&job) } catch { throw ChangeFailure(error: error) }
        }
        while true {
            let lease = condition.withLock { self.lease }
            do {
                try record(lease, ownChange)
                break
            } catch let failure as ChangeFailure {
                throw failure.error
            } catch let error where !(error is JobLeaseLost) && clock() < lease.expires {
                logger.warning("cannot record a training job's end; trying again", metadata: ["job": "\(job)", "error": "\(error)"])
                Thread.sleep(forTimeInterval: 1)
            }
        }
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }
}

/// An error thrown by an end's own `change` (not by the database): not worth trying again.
private struct ChangeFailure: Error {
    let error: any Error
}
