
/// The leases of a driver that keeps them in memory (`MemoryJobQueue`, `SQLiteJobQueue`): which worker holds which
/// job, until when, under which token. Not thread-safe: its owner guards it with its lock.
package struct LeaseTable {
    package let duration: Double
    private var leases: [QueuedJob: JobLease] = [:]
    private var claims = 0

    package init(duration: Double) { self.duration = duration }

    /// The lease on `job`, live or expired.
    package subscript(job: QueuedJob) -> JobLease? { leases[job] }

    package var heldJobs: Set<QueuedJob> { Set(leases.keys) }

    package func holds(_ lease: JobLease) -> Bool { leases[lease.job]?.token == lease.token }

    /// Leases `job` to `worker` until `now + duration`, under a token no earlier claim had.
    package mutating func grant(_ job: QueuedJob, to worker: String, now: Double) -> JobLease {
        claims += 1
        let lease = JobLease(job: job, worker: worker, token: String(claims), expires: now + duration)
        leases[job] = lease
        return lease
    }

    /// The lease renewed to `now + duration`; nil when it is no longer held.
    package mutating func renew(_ lease: JobLease, now: Double) -> JobLease? {
        guard holds(lease) else { return nil }
        leases[lease.job]?.expires = now + duration
        return leases[lease.job]
    }

    /// Ends `lease` if it is still held.
    package mutating func drop(_ lease: JobLease) {
        if holds(lease) { leases[lease.job] = nil }
    }

    /// Ends whatever lease `job` has.
    package mutating func remove(_ job: QueuedJob) { leases[job] = nil }

    /// Ends every lease expired at `now`. - Returns: their jobs.
    package mutating func dropExpired(now: Double) -> [QueuedJob] {
        let expired = leases.values.filter { $0.expires <= now }.map(\.job)
        for job in expired { leases[job] = nil }
        return expired
    }
}
