import Foundation
@testable import ControlPlane

/// A `MemoryJobQueue` behind a database that the test can take away (`down`), as a PostgreSQL restart does: every
/// call then throws, changing nothing. Counts the ends it refused, so a test can wait for a retry.
final class UnreachableDatabaseQueue: TrainingJobQueue, @unchecked Sendable {
    struct Unreachable: Error {}

    let memory: MemoryJobQueue
    private let lock = NSLock()
    private var isDown = false
    /// Signalled at each `complete` or `fail` refused while down.
    let refusedEnd = DispatchSemaphore(value: 0)

    init(_ memory: MemoryJobQueue) { self.memory = memory }

    var down: Bool {
        get { lock.withLock { isDown } }
        set { lock.withLock { isDown = newValue } }
    }

    private func reach() throws { if down { throw Unreachable() } }

    var leaseDuration: Double { memory.leaseDuration }

    func enqueue(_ record: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool {
        try reach()
        return try memory.enqueue(record, tags: tags)
    }

    func claim(worker: String, now: Double) throws -> JobLease? {
        try reach()
        return try memory.claim(worker: worker, now: now)
    }

    func heartbeat(_ lease: JobLease, now: Double) throws -> JobLease? {
        try reach()
        return try memory.heartbeat(lease, now: now)
    }

    func complete(_ lease: JobLease, _ change: Change) throws {
        try reachForEnd()
        try memory.complete(lease, change)
    }

    func fail(_ lease: JobLease, _ change: Change) throws {
        try reachForEnd()
        try memory.fail(lease, change)
    }

    private func reachForEnd() throws {
        guard down else { return }
        refusedEnd.signal()
        throw Unreachable()
    }

    func release(_ lease: JobLease) throws {
        try reach()
        try memory.release(lease)
    }

    func stop(_ job: QueuedJob, ifQueued: Change, ifClaimed: Change) throws -> String? {
        try reach()
        return try memory.stop(job, ifQueued: ifQueued, ifClaimed: ifClaimed)
    }

    func recoverExpiredLeases(now: Double, _ recover: (inout ResourceRecord) throws -> JobRecovery) throws -> [QueuedJob] {
        try reach()
        return try memory.recoverExpiredLeases(now: now, recover)
    }

    func queuedJobs() throws -> [QueuedJob] {
        try reach()
        return try memory.queuedJobs()
    }
}
