import Foundation

/// A `TrainingJobQueue` in memory: records, entries and leases behind one lock (there is no database to wait for).
/// For tests of the workers' claim, stop, shutdown and recovery paths, with the clock in the test's hands.
package final class MemoryJobQueue: TrainingJobQueue, @unchecked Sendable {
    private let lock = NSLock()
    private var records: [QueuedJob: ResourceRecord] = [:]
    private var queue: [QueuedJob] = []
    private var leases: LeaseTable

    package init(leaseDuration: Double = 60) {
        leases = LeaseTable(duration: leaseDuration)
    }

    package var leaseDuration: Double { leases.duration }

    /// A job's record as the queue last wrote it.
    package func record(_ job: QueuedJob) -> ResourceRecord? { lock.withLock { records[job] } }

    /// The lease on `job`, live or expired, if any.
    package func lease(on job: QueuedJob) -> JobLease? { lock.withLock { leases[job] } }

    package func enqueue(_ record: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool {
        let job = QueuedJob(kind: record.kind, name: record.name)
        return lock.withLock {
            guard records[job] == nil else { return false }
            records[job] = record
            queue.append(job)
            return true
        }
    }

    package func claim(worker: String, now: Double) throws -> JobLease? {
        lock.withLock {
            guard let job = queue.first(where: { leases[$0] == nil }) else { return nil }
            return leases.grant(job, to: worker, now: now)
        }
    }

    package func heartbeat(_ lease: JobLease, now: Double) throws -> JobLease? {
        lock.withLock { leases.renew(lease, now: now) }
    }

    package func complete(_ lease: JobLease, _ change: Change) throws { try end(lease, change) }

    package func fail(_ lease: JobLease, _ change: Change) throws { try end(lease, change) }

    private func end(_ lease: JobLease, _ change: Change) throws {
        try lock.withLock {
            guard leases.holds(lease) else { throw JobLeaseLost(lease: lease) }
            try remove(lease.job, change)
        }
    }

    package func release(_ lease: JobLease) throws {
        lock.withLock { leases.drop(lease) }
    }

    package func stop(_ job: QueuedJob, ifQueued: Change, ifClaimed: Change) throws -> String? {
        try lock.withLock {
            if let holder = leases[job]?.worker {
                if var record = records[job] {
                    try ifClaimed(&record)
                    records[job] = record
                }
                return holder
            }
            try remove(job, ifQueued)
            return nil
        }
    }

    package func recoverExpiredLeases(now: Double, _ recover: (inout ResourceRecord) throws -> JobRecovery) throws -> [QueuedJob] {
        try lock.withLock {
            let expired = Set(leases.dropExpired(now: now))
            let jobs = queue.filter(expired.contains)
            for job in jobs {
                guard var record = records[job] else { continue }
                switch try recover(&record) {
                case .requeue: records[job] = record
                case .remove: try remove(job) { $0 = record }
                }
            }
            return jobs
        }
    }

    package func queuedJobs() throws -> [QueuedJob] { lock.withLock { queue } }

    /// Takes `job` off the queue with `change` on its record; the caller holds the lock.
    private func remove(_ job: QueuedJob, _ change: Change) throws {
        if var record = records[job] {
            try change(&record)
            records[job] = record
        }
        queue.removeAll { $0 == job }
        leases.remove(job)
    }
}
