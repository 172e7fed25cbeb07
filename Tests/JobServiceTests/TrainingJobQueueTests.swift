@testable import SageMakerAPI
@testable import TrainingExecution
@testable import EndpointRuntime
@testable import ControlPlane
import AWSProtocol
import Foundation
import Testing

@testable import JobService
@testable import PostgresControlPlane
import PostgresTestSupport

/// The contract every `TrainingJobQueue` driver keeps (see the protocol's documentation), checked on the memory
/// driver, on the SQLite driver over a temporary database file and on the PostgreSQL driver over a fresh database of
/// the test cluster (when `APIARY_TEST_DATABASE` names one, as scripts/test.sh does), with times passed in (no
/// clock, no sleeps).
@Suite struct TrainingJobQueueTests {
    /// A driver under test and a way to read its records.
    final class Harness: @unchecked Sendable, CustomTestStringConvertible {
        let queue: any TrainingJobQueue
        let record: (QueuedJob) throws -> ResourceRecord?
        let testDescription: String
        private var cleanUp: () -> Void = {}

        init(_ driver: String) throws {
            testDescription = driver
            switch driver {
            case "memory":
                let memory = MemoryJobQueue(leaseDuration: 60)
                queue = memory
                record = { memory.record($0) }
            case "sqlite":
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-queue-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let store = try ControlPlaneStore.open(path: directory.appendingPathComponent("state.sqlite").path)
                queue = SQLiteJobQueue(store: store, leaseDuration: 60)
                record = { try store.resource($0.kind, named: $0.name) }
                cleanUp = { try? FileManager.default.removeItem(at: directory) }
            default:
                let database = try TestDatabase()
                let connections: PostgresConnections
                let postgres: PostgresJobQueue
                do {
                    connections = try database.connections()
                    postgres = try PostgresJobQueue(connections: connections, leaseDuration: 60)
                } catch {
                    database.drop()
                    throw error
                }
                queue = postgres
                record = { try postgres.record($0) }
                cleanUp = {
                    connections.close()
                    database.drop()
                }
            }
        }

        deinit { cleanUp() }
    }

    static let drivers = ["memory", "sqlite"] + (TestDatabase.isConfigured ? ["postgres"] : [])
    let a = QueuedJob(kind: .trainingJob, name: "a")
    let b = QueuedJob(kind: .trainingJob, name: "b")

    func enqueue(_ harness: Harness, _ names: String...) throws {
        for name in names { #expect(try harness.queue.enqueue(try queuedTrainingJob(name), tags: [])) }
    }

    @Test(arguments: drivers)
    func aJobIsQueuedOnceByKindAndName(driver: String) throws {
        let harness = try Harness(driver)
        try enqueue(harness, "a")
        #expect(try !harness.queue.enqueue(try queuedTrainingJob("a"), tags: []))
        var transform = try queuedTrainingJob("a")
        transform.kind = .transformJob
        transform.arn += "-transform"
        #expect(try harness.queue.enqueue(transform, tags: []))
        #expect(try harness.queue.queuedJobs() == [a, QueuedJob(kind: .transformJob, name: "a")])
    }

    @Test(arguments: drivers)
    func claimsTakeTheOldestJobNobodyHolds(driver: String) throws {
        let harness = try Harness(driver)
        try enqueue(harness, "a", "b")
        let first = try #require(try harness.queue.claim(worker: "d/0", now: 10))
        let second = try #require(try harness.queue.claim(worker: "d/1", now: 11))
        #expect(first.job == a && first.worker == "d/0" && first.expires == 70)
        #expect(second.job == b && second.expires == 71)
        #expect(first.token != second.token)
        #expect(try harness.queue.claim(worker: "d/2", now: 12) == nil)
        // An expired lease is not taken over by a claim: only recovery ends it.
        #expect(try harness.queue.claim(worker: "d/2", now: 500) == nil)
    }

    @Test(arguments: drivers)
    func aHeartbeatRenewsAHeldLeaseOnly(driver: String) throws {
        let harness = try Harness(driver)
        try enqueue(harness, "a")
        let lease = try #require(try harness.queue.claim(worker: "d/0", now: 0))
        let renewed = try #require(try harness.queue.heartbeat(lease, now: 30))
        #expect(renewed.expires == 90 && renewed.token == lease.token)
        var stranger = lease
        stranger.token = "not-this-claim"
        #expect(try harness.queue.heartbeat(stranger, now: 31) == nil)
    }

    @Test(arguments: drivers)
    func completeAndFailWriteTheEndAsTheJobLeaves(driver: String) throws {
        let harness = try Harness(driver)
        try enqueue(harness, "a", "b")
        let first = try #require(try harness.queue.claim(worker: "d/0", now: 0))
        let second = try #require(try harness.queue.claim(worker: "d/0", now: 0))
        try harness.queue.complete(first) { try TrainingJobLifecycle.apply(.completed(metrics: []), to: &$0, at: 5) }
        try harness.queue.fail(second) { try TrainingJobLifecycle.apply(.failed(reason: "AlgorithmError: x"), to: &$0, at: 6) }
        #expect(try harness.queue.queuedJobs().isEmpty)
        #expect(try harness.record(a)?.status == "Completed")
        #expect(try harness.record(b)?.status == "Failed")
        #expect(try harness.record(b)?.document["FailureReason"] == "AlgorithmError: x")
    }

    @Test(arguments: drivers)
    func aLostLeaseCannotEndTheJob(driver: String) throws {
        let harness = try Harness(driver)
        try enqueue(harness, "a")
        let lease = try #require(try harness.queue.claim(worker: "d/0", now: 0))
        try harness.queue.release(lease)
        #expect(throws: JobLeaseLost.self) { try harness.queue.complete(lease) { $0.status = "Completed" } }
        #expect(throws: JobLeaseLost.self) { try harness.queue.fail(lease) { $0.status = "Failed" } }
        #expect(try harness.record(a)?.status == "InProgress")
        #expect(try harness.queue.queuedJobs() == [a])
    }

    @Test(arguments: drivers)
    func aReleasedJobStaysQueuedUnchangedForTheNextClaim(driver: String) throws {
        let harness = try Harness(driver)
        try enqueue(harness, "a")
        let lease = try #require(try harness.queue.claim(worker: "d/0", now: 0))
        let before = try harness.record(a)
        try harness.queue.release(lease)
        #expect(try harness.record(a) == before)
        let again = try #require(try harness.queue.claim(worker: "d/1", now: 1))
        #expect(again.job == a && again.token != lease.token)
        #expect(try harness.queue.heartbeat(lease, now: 2) == nil)
    }

    @Test(arguments: drivers)
    func aStopTakesAQueuedJobOffAndMarksAHeldOne(driver: String) throws {
        let harness = try Harness(driver)
        try enqueue(harness, "a", "b")
        let lease = try #require(try harness.queue.claim(worker: "d/0", now: 0))
        let queued: TrainingJobQueue.Change = { try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &$0, at: 3) }
        let claimed: TrainingJobQueue.Change = { try TrainingJobLifecycle.apply(.stopRequested, to: &$0, at: 3) }
        #expect(try harness.queue.stop(b, ifQueued: queued, ifClaimed: claimed) == nil)
        #expect(try harness.record(b)?.status == "Stopped")
        #expect(try harness.queue.stop(a, ifQueued: queued, ifClaimed: claimed) == "d/0")
        #expect(try harness.record(a)?.status == "Stopping")
        #expect(try harness.queue.queuedJobs() == [a])
        #expect(try harness.queue.claim(worker: "d/1", now: 4) == nil)
        try harness.queue.complete(lease) { try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &$0, at: 5) }
        #expect(try harness.record(a)?.status == "Stopped")
        #expect(try harness.queue.queuedJobs().isEmpty)
    }

    @Test(arguments: drivers)
    func recoveryEndsExpiredLeasesOnlyAndLetsTheCallerDecide(driver: String) throws {
        let harness = try Harness(driver)
        // The SQLite driver's first recovery hands back every queued job (a previous daemon's): take it first.
        try harness.queue.recoverExpiredLeases(now: 0) { _ in .requeue }
        try enqueue(harness, "a", "b")
        let held = try #require(try harness.queue.claim(worker: "d/0", now: 0))
        let renewed = try #require(try harness.queue.claim(worker: "d/1", now: 0))
        _ = try harness.queue.heartbeat(renewed, now: 50)
        #expect(
            try harness.queue.recoverExpiredLeases(now: 59) { _ in
                Issue.record("nothing has expired")
                return .requeue
            }.isEmpty
        )
        let recovered = try harness.queue.recoverExpiredLeases(now: 60) { record in
            try TrainingJobLifecycle.apply(.secondary(.starting, message: "recovered"), to: &record, at: 60)
            return .requeue
        }
        #expect(recovered == [held.job])
        #expect(try harness.record(a)?.document["SecondaryStatusTransitions"]?.arrayValue?.last?["StatusMessage"] == "recovered")
        #expect(try harness.queue.heartbeat(held, now: 61) == nil)
        #expect(try harness.queue.heartbeat(renewed, now: 61) != nil)
        let next = try #require(try harness.queue.claim(worker: "d/2", now: 61))
        #expect(next.job == a)
        try harness.queue.release(next)
        let removed = try harness.queue.recoverExpiredLeases(now: 200) { _ in .remove }
        #expect(removed == [b])
        #expect(try harness.queue.queuedJobs() == [a])
    }

    @Test func theSQLiteDriverRecoversThePreviousDaemonsJobsAtOnce() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-queue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.sqlite").path
        let before = SQLiteJobQueue(store: try ControlPlaneStore.open(path: path))
        #expect(try before.enqueue(try queuedTrainingJob("a", running: true), tags: []))
        #expect(try before.enqueue(try queuedTrainingJob("b"), tags: []))
        _ = try #require(try before.claim(worker: "old/0", now: 0))
        // The daemon dies holding "a"; the next one opens the same file, its lease not expired by the clock.
        let after = SQLiteJobQueue(store: try ControlPlaneStore.open(path: path))
        var seen: [String] = []
        let recovered = try after.recoverExpiredLeases(now: 1) { record in
            seen.append(record.name)
            return try TrainingQueue.recover(&record, at: 1, logger: .init(label: "test"))
        }
        #expect(recovered == [QueuedJob(kind: .trainingJob, name: "a"), QueuedJob(kind: .trainingJob, name: "b")] && seen == ["a", "b"])
        #expect(try after.claim(worker: "new/0", now: 2)?.job.name == "a")
        #expect(try after.recoverExpiredLeases(now: 3) { _ in .remove }.isEmpty)
    }
}
