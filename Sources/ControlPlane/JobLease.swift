
/// A worker's claim on a queued job: nobody else may run the job while the lease lives. It lives until `expires`
/// unless a heartbeat renews it; `token` tells this claim from a later claim of the same job (after the lease was
/// recovered), so a worker that lost its lease can neither renew it nor end the job.
package struct JobLease: Sendable, Equatable {
    package var job: QueuedJob
    /// Who holds it: `<daemon>/<thread>`, unique among every claimant of the queue.
    package var worker: String
    package var token: String
    /// Seconds since 1970, on the caller's clock.
    package var expires: Double
    /// A stop was asked for while the job was held, as its claim or last heartbeat read it: how StopTrainingJob
    /// reaches a worker of another daemon (a shared driver); the daemon that took the stop signals its own workers
    /// at once.
    package var stopRequested: Bool

    package init(job: QueuedJob, worker: String, token: String, expires: Double, stopRequested: Bool = false) {
        self.job = job
        self.worker = worker
        self.token = token
        self.expires = expires
        self.stopRequested = stopRequested
    }
}

/// A worker tried to renew or end a job through a lease it no longer holds (the lease expired and was recovered).
package struct JobLeaseLost: Error, CustomStringConvertible {
    package var lease: JobLease

    package init(lease: JobLease) { self.lease = lease }

    package var description: String { "\(lease.worker) no longer holds the lease on \(lease.job)" }
}
