import Foundation

/// The `TrainingJobQueue` over the daemon's state file: entries in the `trainingQueue` table (`QueueEntry` names),
/// records in `resource`, each change one transaction. Leases live in memory: `HomeLock` allows one daemon per
/// home, so a lease can never outlive the process that holds it, and on its first recovery the driver hands back
/// every queued job (the jobs the previous daemon was running among them) without waiting for leases to expire.
/// The lock guards only the leases and the stops in flight; database work happens outside it, and a claim checks
/// afterwards that the job it leased is still queued.
package final class SQLiteJobQueue: TrainingJobQueue, @unchecked Sendable {
    private let store: ControlPlaneStore
    private let lock = NSLock()
    private var leases: LeaseTable
    /// Jobs a stop is taking off the queue: not to be claimed meanwhile.
    private var stopping: Set<QueuedJob> = []
    private var recoveredPreviousDaemon = false

    package init(store: ControlPlaneStore, leaseDuration: Double = 60) {
        self.store = store
        leases = LeaseTable(duration: leaseDuration)
    }

    package var leaseDuration: Double { leases.duration }

    package func enqueue(_ record: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool {
        try store.insertQueued(record, tags: tags)
    }

    package func claim(worker: String, now: Double) throws -> JobLease? {
        for job in try queuedJobs() {
            let lease: JobLease? = lock.withLock {
                guard leases[job] == nil, !stopping.contains(job) else { return nil }
                return leases.grant(job, to: worker, now: now)
            }
            guard let lease else { continue }
            // The queue was read before the lease was taken: the job may have ended or been stopped since.
            if try store.isQueued(job) { return lease }
            try release(lease)
        }
        return nil
    }

    package func heartbeat(_ lease: JobLease, now: Double) throws -> JobLease? {
        lock.withLock { leases.renew(lease, now: now) }
    }

    package func complete(_ lease: JobLease, _ change: Change) throws { try end(lease, change) }

    package func fail(_ lease: JobLease, _ change: Change) throws { try end(lease, change) }

    private func end(_ lease: JobLease, _ change: Change) throws {
        guard lock.withLock({ leases.holds(lease) }) else { throw JobLeaseLost(lease: lease) }
        try store.dequeue(QueueEntry.entry(lease.job.kind, lease.job.name), change)
        try release(lease)
    }

    package func release(_ lease: JobLease) throws {
        lock.withLock { leases.drop(lease) }
    }

    package func stop(_ job: QueuedJob, ifQueued: Change, ifClaimed: Change) throws -> String? {
        let holder: String? = lock.withLock {
            if let holder = leases[job]?.worker { return holder }
            stopping.insert(job)
            return nil
        }
        if let holder {
            try store.update(job.kind, named: job.name, ifClaimed)
            return holder
        }
        defer { lock.withLock { _ = stopping.remove(job) } }
        try store.dequeue(QueueEntry.entry(job.kind, job.name), ifQueued)
        return nil
    }

    package func recoverExpiredLeases(now: Double, _ recover: (inout ResourceRecord) throws -> JobRecovery) throws -> [QueuedJob] {
        let (expired, held, firstRecovery) = lock.withLock {
            defer { recoveredPreviousDaemon = true }
            return (Set(leases.dropExpired(now: now)), leases.heldJobs, !recoveredPreviousDaemon)
        }
        let jobs = try queuedJobs().filter { firstRecovery ? !held.contains($0) : expired.contains($0) }
        for job in jobs { try store.recoverQueued(job, recover) }
        return jobs
    }

    package func queuedJobs() throws -> [QueuedJob] {
        try store.trainingQueue().map(QueueEntry.job)
    }
}
