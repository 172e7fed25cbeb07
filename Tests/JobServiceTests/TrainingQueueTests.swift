@testable import SageMakerAPI
@testable import TrainingExecution
@testable import EndpointRuntime
@testable import ControlPlane
import AWSProtocol
import Foundation
import Logging
import Testing

@testable import JobService

/// The training workers over the memory driver: claims in arrival order, StopTrainingJob on queued and running
/// jobs, shutdown (the job stays queued), recovery of a dead worker's job at start, and heartbeats — with a clock
/// the test moves and runs that wait for events, never for time.
@Suite struct TrainingQueueTests {
    let jobs = MemoryJobQueue(leaseDuration: 60)
    let clock = TestClock(1000)
    let a = QueuedJob(kind: .trainingJob, name: "a")
    let b = QueuedJob(kind: .trainingJob, name: "b")

    func workers(concurrency: Int = 1, pollInterval: Double? = nil, runner: @escaping TrainingQueue.Runner) -> TrainingQueue {
        TrainingQueue(
            jobs: jobs,
            concurrency: concurrency,
            daemonID: "test",
            clock: { [clock] in clock.now },
            logger: Logger(label: "test"),
            pollInterval: pollInterval,
            runner: runner
        )
    }

    /// On a shared queue, a job another daemon held when it died is resumed here once its lease has expired — by the
    /// workers' periodic recovery, not only the one at start.
    @Test func aSharedQueuesExpiredLeaseIsRecoveredWhileTheWorkersRun() throws {
        #expect(try jobs.enqueue(try queuedTrainingJob("a", running: true), tags: []))
        _ = try #require(try jobs.claim(worker: "dead-daemon/0", now: 1000))
        let resumed = DispatchSemaphore(value: 0)
        let status = Locked<String?>(nil)
        let queue = workers(pollInterval: 0.05) { job, control in
            status.update { $0 = self.jobs.record(job)?.document["SecondaryStatus"]?.stringValue }
            try? control.complete { try TrainingJobLifecycle.apply(.completed(metrics: []), to: &$0, at: 1070) }
            resumed.signal()
        }
        try queue.recoverInterruptedJobs()
        queue.start()
        defer { queue.shutdown() }
        // The other daemon's lease (60 s) runs out; no job is enqueued here to wake the workers.
        clock.now = 1061
        waitFor(resumed, "the dead daemon's job ran here")
        #expect(status.value == "Starting", "it resumes as a recovered job")
        #expect(jobs.record(a)?.status == "Completed")
    }

    @Test func jobsRunOneAtATimeInArrivalOrder() throws {
        let ran = Locked<[String]>([])
        let done = DispatchSemaphore(value: 0)
        let queue = workers { job, control in
            ran.update { $0.append(job.name) }
            try? control.complete { try TrainingJobLifecycle.apply(.completed(metrics: []), to: &$0, at: 1001) }
            done.signal()
        }
        for name in ["c", "a", "b"] { #expect(try queue.enqueue(try queuedTrainingJob(name), tags: [])) }
        try queue.recoverInterruptedJobs()
        queue.start()
        defer { queue.shutdown() }
        for _ in 0..<3 { waitFor(done, "a job ran") }
        #expect(ran.value == ["c", "a", "b"])
        #expect(try jobs.queuedJobs().isEmpty)
        #expect(jobs.record(a)?.status == "Completed")
    }

    @Test func aJobEnqueuedWhileTheWorkersWaitIsClaimed() throws {
        let done = DispatchSemaphore(value: 0)
        let queue = workers(concurrency: 2) { _, control in
            try? control.complete { _ in }
            done.signal()
        }
        try queue.recoverInterruptedJobs()
        queue.start()
        defer { queue.shutdown() }
        #expect(try queue.enqueue(try queuedTrainingJob("a"), tags: []))
        waitFor(done, "the job enqueued after start ran")
        #expect(try jobs.queuedJobs().isEmpty)
    }

    @Test func stopEndsAQueuedJobAtOnceAndARunningOneThroughItsWorker() throws {
        let started = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let seen = Locked<[String: StopRequest]>([:])
        let queue = workers { job, control in
            started.signal()
            let request = control.waitForRequest()
            seen.update { $0[job.name] = request }
            if request == .userStop {
                try? control.complete { try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &$0, at: 1003) }
            }
            finished.signal()
        }
        #expect(try queue.enqueue(try queuedTrainingJob("a", running: true), tags: []))
        #expect(try queue.enqueue(try queuedTrainingJob("b"), tags: []))
        try queue.recoverInterruptedJobs()
        queue.start()
        defer { queue.shutdown() }
        waitFor(started, "a started")
        #expect(queue.runningJobs == [a])
        try queue.stop("b", at: 1001)
        #expect(jobs.record(b)?.status == "Stopped")
        #expect(try jobs.queuedJobs() == [a])
        try queue.stop("a", at: 1002)
        waitFor(finished, "a saw its stop")
        #expect(seen.value == ["a": .userStop])
        #expect(jobs.record(a)?.status == "Stopped")
        #expect(try jobs.queuedJobs().isEmpty)
    }

    @Test func shutdownLeavesTheRunningJobQueuedAndUnheld() throws {
        let started = DispatchSemaphore(value: 0)
        let seen = Locked<StopRequest?>(nil)
        let queue = workers { _, control in
            started.signal()
            seen.update { $0 = control.waitForRequest() }
        }
        #expect(try queue.enqueue(try queuedTrainingJob("a", running: true), tags: []))
        let before = jobs.record(a)
        try queue.recoverInterruptedJobs()
        queue.start()
        waitFor(started, "a started")
        queue.shutdown()
        #expect(seen.value == .shutdown)
        #expect(queue.runningJobs.isEmpty)
        #expect(try jobs.queuedJobs() == [a])
        #expect(jobs.lease(on: a) == nil)
        #expect(jobs.record(a) == before)
    }

    @Test func aDeadWorkersExpiredLeaseIsRecoveredAtStartAndTheJobResumes() throws {
        #expect(try jobs.enqueue(try queuedTrainingJob("a", running: true), tags: []))
        #expect(try jobs.enqueue(try queuedTrainingJob("b", running: true), tags: []))
        #expect(try jobs.claim(worker: "gone/0", now: 0)?.expires == 60)
        #expect(try jobs.claim(worker: "gone/1", now: 0)?.job == b)
        #expect(try jobs.stop(b, ifQueued: { _ in }, ifClaimed: { try TrainingJobLifecycle.apply(.stopRequested, to: &$0, at: 10) }) == "gone/1")
        let ran = DispatchSemaphore(value: 0)
        let worker = Locked<String?>(nil)
        let queue = workers { job, control in
            worker.update { $0 = jobs.lease(on: job)?.worker }
            try? control.complete { try TrainingJobLifecycle.apply(.completed(metrics: []), to: &$0, at: 1001) }
            ran.signal()
        }
        try queue.recoverInterruptedJobs()
        queue.start()
        defer { queue.shutdown() }
        waitFor(ran, "the recovered job ran")
        #expect(worker.value == "test/0")
        let transitions = jobs.record(a)?.document["SecondaryStatusTransitions"]?.arrayValue ?? []
        #expect(transitions.map { $0["Status"]?.stringValue } == ["Starting", "Training", "Starting", "Completed"])
        #expect(transitions[2]["StatusMessage"]?.stringValue?.hasPrefix("Apiary restarted") == true)
        #expect(jobs.record(b)?.status == "Stopped")
        #expect(try jobs.queuedJobs().isEmpty)
    }

    @Test func heartbeatsRenewTheLeaseAndALostLeaseMeansStopWithoutEnding() throws {
        #expect(try jobs.enqueue(try queuedTrainingJob("a"), tags: []))
        let lease = try #require(try jobs.claim(worker: "test/0", now: 1000))
        let control = TrainingJobControl(lease: lease, queue: jobs, clock: { [clock] in clock.now }, logger: Logger(label: "test"))
        clock.now = 1010
        control.renewLease()
        #expect(control.requested == nil)
        #expect(jobs.lease(on: a)?.expires == 1060)  // not due before a third of the lease has passed
        clock.now = 1030
        control.renewLease()
        #expect(control.requested == nil)
        #expect(jobs.lease(on: a)?.expires == 1090)
        clock.now = 1200
        #expect(try jobs.recoverExpiredLeases(now: 1200) { _ in .requeue } == [a])
        control.renewLease()
        #expect(control.requested == .shutdown)
        #expect(throws: JobLeaseLost.self) { try control.complete { $0.status = "Completed" } }
        #expect(jobs.record(a)?.status == "InProgress")
    }

    /// The database does not answer for a while (a PostgreSQL restart): the run keeps its job while the lease lasts,
    /// the heartbeat going through once the database is back; only with a third of the lease left unrenewed does the
    /// run stop (the job staying queued), before another node may recover it.
    @Test func aHeartbeatTheDatabaseRefusesKeepsTheJobUntilAThirdOfTheLeaseIsLeft() throws {
        let database = UnreachableDatabaseQueue(jobs)
        #expect(try jobs.enqueue(try queuedTrainingJob("a"), tags: []))
        #expect(try jobs.enqueue(try queuedTrainingJob("b"), tags: []))
        let logger = Logger(label: "test")
        let control = TrainingJobControl(
            lease: try #require(try database.claim(worker: "test/0", now: 1000)), queue: database, clock: { [clock] in clock.now }, logger: logger)
        database.down = true
        clock.now = 1025
        control.renewLease()
        #expect(control.requested == nil, "35 s of the lease are left")
        database.down = false
        clock.now = 1030
        control.renewLease()
        #expect(control.requested == nil)
        #expect(jobs.lease(on: a)?.expires == 1090, "renewed once the database answers")

        let other = TrainingJobControl(
            lease: try #require(try database.claim(worker: "test/1", now: 1030)), queue: database, clock: { [clock] in clock.now }, logger: logger)
        database.down = true
        clock.now = 1055
        other.renewLease()
        #expect(other.requested == nil)
        clock.now = 1071
        other.renewLease()
        #expect(other.requested == .shutdown, "19 s of b's lease are left, and no renewal went through")
        #expect(jobs.lease(on: b)?.expires == 1090, "the lease is left to expire, not taken away")
    }

    /// An end the database refuses is written once it answers, through the same lease; past the lease's expiry the
    /// error is thrown instead (another node may have recovered the job).
    @Test func anEndTheDatabaseRefusesIsWrittenOnceItAnswers() throws {
        let database = UnreachableDatabaseQueue(jobs)
        #expect(try jobs.enqueue(try queuedTrainingJob("a"), tags: []))
        let control = TrainingJobControl(
            lease: try #require(try database.claim(worker: "test/0", now: 1000)), queue: database, clock: { [clock] in clock.now },
            logger: Logger(label: "test"))
        database.down = true
        let ended = DispatchSemaphore(value: 0)
        let outcome = Locked<String?>(nil)
        Thread {
            do {
                try control.complete { try TrainingJobLifecycle.apply(.completed(metrics: []), to: &$0, at: 1010) }
                outcome.update { $0 = "completed" }
            } catch {
                outcome.update { $0 = "\(error)" }
            }
            ended.signal()
        }.start()
        waitFor(database.refusedEnd, "the end met the unreachable database")
        database.down = false
        waitFor(ended, "the end was written")
        #expect(outcome.value == "completed")
        #expect(jobs.record(a)?.status == "Completed")

        #expect(try jobs.enqueue(try queuedTrainingJob("b"), tags: []))
        let late = TrainingJobControl(
            lease: try #require(try database.claim(worker: "test/0", now: 1000)), queue: database, clock: { [clock] in clock.now },
            logger: Logger(label: "test"))
        database.down = true
        clock.now = 1060
        #expect(throws: UnreachableDatabaseQueue.Unreachable.self) { try late.complete { $0.status = "Completed" } }
        #expect(jobs.record(b)?.status == "InProgress")
    }
}

/// A value shared between a worker thread and the test.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
