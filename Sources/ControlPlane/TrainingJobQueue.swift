
/// The durable queue the training workers take their jobs from — training jobs and batch transform jobs, told apart by
/// `QueuedJob.kind` — behind a driver, so the same workers (`TrainingQueue`) run over the daemon's SQLite file today
/// (`SQLiteJobQueue`), in memory in tests (`MemoryJobQueue`), and over a PostgreSQL database several daemons share
/// (`PostgresJobQueue`, in PostgresControlPlane) without their callers changing.
///
/// A job's record (`ResourceRecord`, its Describe document) lives with its queue entry, and every change the queue
/// makes to a record happens in the transaction that changes the entry. What every driver guarantees:
/// - **enqueue**: the record, its tags and the entry are written in one transaction; an acknowledged job is queued.
/// - **claim**: the oldest queued job (enqueue order) that no live lease holds and no stop is taking off the queue,
///   leased to `worker` until `now + leaseDuration`. Claims are atomic against every other claimant, in this process or
///   another: at most one live lease per job (a shared database: `SELECT … ORDER BY seq FOR UPDATE SKIP LOCKED LIMIT 1`,
///   then the lease columns set in that transaction). A claim never takes over an expired lease: only
///   `recoverExpiredLeases` ends one, so the interrupted job's record is brought back first.
/// - **heartbeat**: renews a lease still held (same token) to `now + leaseDuration`; nil when it is no longer held,
///   and the worker must then stop without writing an end state. The lease it returns (and a claim's) says whether a
///   stop was asked for meanwhile (`stopRequested`).
/// - **complete / fail**: the job reached its end state (`Completed` or `Stopped` / `Failed`): `change` writes it on
///   the record and the entry leaves the queue, in one transaction, only through a lease still held (else
///   `JobLeaseLost` and nothing changes).
/// - **release**: the daemon is shutting down; the job stays queued, unleased, its record unchanged (it resumes from
///   its checkpoint on the next start, or on another daemon's worker).
/// - **stop**: StopTrainingJob / StopTransformJob, atomic against claims: a job nobody holds leaves the queue with
///   `ifQueued` applied; a held one gets `ifClaimed` and the holder's worker id comes back, for the caller to signal
///   it. (A shared driver also carries the stop to a worker of another daemon: the stop's transaction marks the
///   entry, and that worker's next heartbeat returns `stopRequested`.)
/// - **recoverExpiredLeases**: every lease expired at `now` is ended and `recover` decides its job: back to the queue
///   (its record changed, e.g. `Starting` again) or off it. A shared driver ends each expired lease once, whichever
///   daemon calls it, and only by its expiry (another daemon's live lease is never taken). A driver whose leases cannot outlive its process (SQLite,
///   one daemon per home under `HomeLock`) treats, on its first call, every queued job as such a job, since the
///   process that held them is gone; `recover` leaves a job that never ran as it is.
/// - Times are the caller's (`now`, seconds since 1970): drivers never read a clock, so tests inject one.
/// - No driver holds a lock while it works on its database, and no method is called with a caller's lock held.
package protocol TrainingJobQueue: Sendable {
    /// A change to a job's record, made in the queue's transaction.
    typealias Change = (inout ResourceRecord) throws -> Void

    /// How long a lease lives without a heartbeat (seconds).
    var leaseDuration: Double { get }

    /// - Returns: false (changing nothing) when a job of that kind and name exists.
    func enqueue(_ record: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool
    func claim(worker: String, now: Double) throws -> JobLease?
    func heartbeat(_ lease: JobLease, now: Double) throws -> JobLease?
    func complete(_ lease: JobLease, _ change: Change) throws
    func fail(_ lease: JobLease, _ change: Change) throws
    func release(_ lease: JobLease) throws
    /// - Returns: the worker holding the job, or nil when it was queued and has left the queue.
    func stop(_ job: QueuedJob, ifQueued: Change, ifClaimed: Change) throws -> String?
    /// - Returns: the jobs recovered.
    @discardableResult
    func recoverExpiredLeases(now: Double, _ recover: (inout ResourceRecord) throws -> JobRecovery) throws -> [QueuedJob]
    /// The queued jobs (held or not), oldest first.
    func queuedJobs() throws -> [QueuedJob]
}

/// What becomes of a job whose lease ended without an end state.
package enum JobRecovery: Sendable, Equatable {
    /// It stays queued, for any worker to claim.
    case requeue
    /// It leaves the queue (it had ended, or was being stopped and is now `Stopped`).
    case remove
}
