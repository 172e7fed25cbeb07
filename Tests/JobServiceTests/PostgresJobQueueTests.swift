import Foundation
import Logging
import Testing

@testable import ControlPlane
@testable import PostgresControlPlane
import PostgresTestSupport
@testable import TrainingExecution

/// The PostgreSQL driver as several daemons share it: two `PostgresJobQueue`s on one database, each with its own
/// connections, stand for two daemons (the contract every driver keeps is `TrainingJobQueueTests`). Each test has a
/// fresh database of the test cluster, dropped at its end.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs APIARY_TEST_DATABASE (scripts/test.sh starts a throwaway cluster)"))
struct PostgresJobQueueTests {
    @Test func twoDaemonsClaimAndCompleteEachOfTwentyJobsExactlyOnce() throws {
        try withTwoDaemons { one, two in
            let names = (0..<20).map { String(format: "job-%02d", $0) }
            for (index, name) in names.enumerated() {
                #expect(try (index.isMultiple(of: 2) ? one : two).enqueue(try queuedTrainingJob(name), tags: [("n", name)]))
            }
            #expect(try !two.enqueue(try queuedTrainingJob("job-00"), tags: []), "a name is unique across daemons")
            let claimed = Claims()
            let group = DispatchGroup()
            // Three claimers per daemon, each claiming and completing until the queue is empty.
            for (daemon, queue) in [("one", one), ("two", two)] {
                for worker in 0..<3 {
                    group.enter()
                    Thread {
                        defer { group.leave() }
                        do {
                            while let lease = try queue.claim(worker: "\(daemon)/\(worker)", now: 100) {
                                claimed.add(lease.job.name)
                                try queue.complete(lease) {
                                    $0.status = "Completed"
                                    $0.document["ClaimedBy"] = .string(lease.worker)
                                }
                            }
                        } catch {
                            claimed.fail(error)
                        }
                    }.start()
                }
            }
            #expect(group.wait(timeout: .now() + 120) == .success, "the claimers finish")
            #expect(claimed.errors.isEmpty, "\(claimed.errors)")
            #expect(claimed.names.sorted() == names, "each job claimed exactly once")
            #expect(try one.queuedJobs().isEmpty && two.queuedJobs().isEmpty)
            for name in names {
                let record = try #require(try one.record(QueuedJob(kind: .trainingJob, name: name)))
                #expect(record.status == "Completed" && record.document["ClaimedBy"] != nil)
            }
        }
    }

    @Test func anExpiredLeaseIsRecoveredByTheOtherDaemon() throws {
        try withTwoDaemons { one, two in
            #expect(try one.enqueue(try queuedTrainingJob("a", running: true), tags: []))
            let lease = try #require(try one.claim(worker: "one/0", now: 0))
            #expect(try two.claim(worker: "two/0", now: 1) == nil, "a live lease holds across daemons")
            #expect(try two.recoverExpiredLeases(now: 59) { _ in .requeue }.isEmpty, "a live lease is not recovered")
            // Daemon one stops heartbeating (it died); daemon two recovers the job once its lease has expired.
            let recovered = try two.recoverExpiredLeases(now: 60) { try TrainingQueue.recover(&$0, at: 60, logger: Logger(label: "test")) }
            #expect(recovered == [lease.job])
            #expect(try one.record(lease.job)?.document["SecondaryStatus"] == "Starting")
            #expect(try one.recoverExpiredLeases(now: 61) { _ in .remove }.isEmpty, "recovered once")
            #expect(try one.heartbeat(lease, now: 61) == nil)
            #expect(throws: JobLeaseLost.self) { try one.complete(lease) { $0.status = "Completed" } }
            let again = try #require(try two.claim(worker: "two/0", now: 62))
            #expect(again.job == lease.job && again.token != lease.token)
        }
    }

    @Test func aDeadDaemonsJobIsResumedByTheOtherDaemonsRunningWorkers() throws {
        try withTwoDaemons { one, two in
            #expect(try one.enqueue(try queuedTrainingJob("a", running: true), tags: []))
            // Daemon one claims the job, then dies: no heartbeat, no release.
            let lease = try #require(try one.claim(worker: "one/0", now: 1000))
            let clock = TestClock(1000)
            let resumed = DispatchSemaphore(value: 0)
            let status = Locked<String?>(nil)
            let workers = TrainingQueue(
                jobs: two, concurrency: 1, daemonID: "two", clock: { clock.now }, logger: Logger(label: "test"), pollInterval: 0.05
            ) { job, control in
                status.update { $0 = try? two.record(job)?.document["SecondaryStatus"]?.stringValue }
                try? control.complete { try TrainingJobLifecycle.apply(.completed(metrics: []), to: &$0, at: 1070) }
                resumed.signal()
            }
            try workers.recoverInterruptedJobs()
            workers.start()
            defer { workers.shutdown() }
            clock.now = 1061  // one's 60 s lease has run out
            waitFor(resumed, "daemon two's worker resumed the job")
            #expect(status.value == "Starting", "it resumes as a recovered job")
            #expect(try one.record(lease.job)?.status == "Completed")
            #expect(throws: JobLeaseLost.self) { try one.complete(lease) { $0.status = "Failed" } }
        }
    }

    @Test func aStopReachesTheWorkerOfAnotherDaemonThroughItsHeartbeat() throws {
        try withTwoDaemons { one, two in
            #expect(try one.enqueue(try queuedTrainingJob("a", running: true), tags: []))
            let lease = try #require(try one.claim(worker: "one/0", now: 0))
            let control = TrainingJobControl(lease: lease, queue: one, clock: { 30 }, logger: Logger(label: "test"))
            let holder = try two.stop(
                lease.job,
                ifQueued: { _ in Issue.record("the job is held") },
                ifClaimed: { try TrainingJobLifecycle.apply(.stopRequested, to: &$0, at: 5) }
            )
            #expect(holder == "one/0")
            #expect(try two.record(lease.job)?.status == "Stopping")
            // Daemon one's worker learns of it at its next heartbeat (due: a third of the lease has passed).
            control.renewLease()
            #expect(control.requested == .userStop)
        }
    }

    @Test func aConnectionTheServerClosedIsReplacedOnItsNextUse() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let connections = try database.connections(size: 1)
        defer { connections.close() }
        let queue = try PostgresJobQueue(connections: connections)
        #expect(try queue.enqueue(try queuedTrainingJob("a"), tags: []))
        // The server ends the daemon's connection (as a restart would) from another session.
        let admin = try database.connections(size: 1)
        defer { admin.close() }
        let ended = try admin.withSession { session in
            try session.query(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(database.url.database) AND pid <> pg_backend_pid()) ended"
            ).rows.first?.decode(Int64.self)
        }
        #expect(ended == 1)
        // The statement that meets the closed connection may fail; the next one runs on a new connection.
        _ = try? queue.queuedJobs()
        #expect(try queue.queuedJobs() == [QueuedJob(kind: .trainingJob, name: "a")])
    }

    @Test func migrationsFromTwoDaemonsStartingAtOnceRunOnce() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        let outcomes = Claims()
        for daemon in 0..<2 {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    let connections = try database.connections(size: 1)
                    defer { connections.close() }
                    start.wait()
                    _ = try PostgresJobQueue(connections: connections)
                    outcomes.add("daemon \(daemon)")
                } catch {
                    outcomes.fail(error)
                }
            }.start()
        }
        start.signal()
        start.signal()
        #expect(group.wait(timeout: .now() + 120) == .success)
        #expect(outcomes.errors.isEmpty, "\(outcomes.errors)")
        #expect(outcomes.names.count == 2)
        let connections = try database.connections(size: 1)
        defer { connections.close() }
        let recorded = try connections.withSession { try $0.query("SELECT count(*) FROM apiary_schema_migration").rows.first?.decode(Int64.self) }
        #expect(recorded == Int64(PostgresSchema.version), "each migration recorded once")
    }

    @Test func aSchemaFromANewerApiaryIsRefusedAtStart() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let connections = try database.connections(size: 1)
        defer { connections.close() }
        _ = try PostgresJobQueue(connections: connections)
        _ = try connections.withSession { try $0.query("INSERT INTO apiary_schema_migration (version) VALUES (\(PostgresSchema.version + 1))") }
        let error = try #require(throws: PostgresDatabaseError.self) { try PostgresJobQueue(connections: connections) }
        guard case .schemaTooNew(_, let found, let known) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(found == PostgresSchema.version + 1 && known == PostgresSchema.version)
        #expect(error.description.contains(database.url.description) && error.description.contains("newer"))
    }
}

/// Two daemons' queues on one fresh database (`GangSchedulingTests` takes them for two nodes); `body` runs with them,
/// then everything is closed and dropped.
func withTwoDaemons(_ body: (PostgresJobQueue, PostgresJobQueue) throws -> Void) throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let first = try database.connections(size: 3)
    defer { first.close() }
    let second = try database.connections(size: 3)
    defer { second.close() }
    try body(try PostgresJobQueue(connections: first), try PostgresJobQueue(connections: second))
}

/// What concurrent claimers took (or the errors they met), gathered from their threads.
final class Claims: @unchecked Sendable {
    private let lock = NSLock()
    private var taken: [String] = []
    private var failures: [String] = []

    func add(_ name: String) { lock.withLock { taken.append(name) } }
    func fail(_ error: any Error) { lock.withLock { failures.append("\(error)") } }
    var names: [String] { lock.withLock { taken } }
    var errors: [String] { lock.withLock { failures } }
}
