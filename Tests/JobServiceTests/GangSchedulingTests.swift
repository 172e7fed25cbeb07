import Foundation
import Logging
import Testing

@testable import ControlPlane
@testable import PostgresControlPlane
import PostgresTestSupport
@testable import TrainingExecution

/// Gang scheduling on the PostgreSQL driver (`GangScheduling`): two `PostgresJobQueue`s on one fresh database stand
/// for two nodes, whose workers form the gangs of multi-instance jobs — leaders racing for two jobs end in one gang, a
/// member that dies before the start drops out and the gang waits again, a gang's slots go with its job's lease —
/// and two nodes' `TrainingQueue`s whose idle workers join gangs and are held by them until the job ends.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs APIARY_TEST_DATABASE (scripts/test.sh starts a throwaway cluster)"))
struct GangSchedulingTests {
    @Test func twoLeadersRacingForTwoJobsEndInOneGang() throws {
        try withTwoDaemons { one, two in
            #expect(try one.enqueue(try multiInstanceJob("older", instances: 2), tags: []))
            #expect(try two.enqueue(try multiInstanceJob("younger", instances: 2), tags: []))
            // Each node's idle worker found no gang to join and claimed a job: two leaders, each short of one member.
            let older = try #require(try one.claim(worker: "one/0", now: 0))
            let younger = try #require(try two.claim(worker: "two/0", now: 0))
            #expect(older.job.name == "older" && younger.job.name == "younger")
            let youngerGang = try #require(try two.gather(younger, host: "host-two", now: 1))
            #expect(youngerGang.hosts == ["host-two"] && !youngerGang.isComplete)
            #expect(youngerGang.olderGangShort, "the younger leader sees the older gang short, and gives its job back")
            let olderGang = try #require(try one.gather(older, host: "host-one", now: 1))
            #expect(olderGang == Gang(instances: 2, hosts: ["host-one"], olderGangShort: false), "the oldest gang waits")
            #expect(olderGang.waitingMessage.hasPrefix("Waiting for 1 more instance (1 of 2 leased): "))

            try two.release(younger)
            let slot = try #require(try two.join(worker: "two/0", host: "host-two", now: 2), "the given-back leader joins the older gang")
            #expect(slot.job == older.job)
            #expect(try one.join(worker: "one/1", host: "host-one", now: 2) == nil, "one slot of a gang is its leader's: it is full")
            let formed = try #require(try one.gather(older, host: "host-one", now: 3))
            #expect(formed.isComplete && formed.hosts == ["host-one", "host-two"], "one gang, the leader's host first")

            // The given-back job is queued for the next leader; the formed gang takes nobody else.
            let next = try #require(try one.claim(worker: "one/1", now: 4))
            #expect(next.job.name == "younger" && next.token != younger.token)
            #expect(try one.join(worker: "one/2", host: "host-one", now: 4)?.job == next.job, "an idle worker joins the gang still forming")
            #expect(try two.renew(slot, now: 5) != nil, "the member holds its slot while the job runs")
        }
    }

    @Test func aMemberThatDiesBeforeTheStartDropsOutAndTheGangWaitsAgain() throws {
        try withTwoDaemons { one, two in
            #expect(try one.enqueue(try multiInstanceJob("three", instances: 3), tags: []))
            var lease = try #require(try one.claim(worker: "one/0", now: 0))
            #expect(try one.gather(lease, host: "leader", now: 0)?.hosts == ["leader"])
            let doomed = try #require(try two.join(worker: "two/0", host: "doomed", now: 1))
            lease = try #require(try one.heartbeat(lease, now: 30))
            let short = try #require(try one.gather(lease, host: "leader", now: 30))
            #expect(short.hosts == ["leader", "doomed"] && short.waitingMessage.hasPrefix("Waiting for 1 more instance (2 of 3 leased): "))

            // The member's node dies: no renewal. Once its slot has expired the leader drops it and waits again.
            lease = try #require(try one.heartbeat(lease, now: 60))
            let again = try #require(try one.gather(lease, host: "leader", now: 62))
            #expect(again.hosts == ["leader"] && again.waitingMessage.hasPrefix("Waiting for 2 more instances (1 of 3 leased): "))
            #expect(try two.renew(doomed, now: 63) == nil, "its slot is gone")

            let first = try #require(try two.join(worker: "two/1", host: "second", now: 63))
            let second = try #require(try one.join(worker: "one/1", host: "third", now: 63))
            let formed = try #require(try one.gather(lease, host: "leader", now: 64))
            #expect(formed.isComplete && formed.hosts == ["leader", "second", "third"])
            #expect(try two.join(worker: "two/2", host: "late", now: 65) == nil, "a formed gang takes nobody")

            // The job ends: its gang goes with its queue entry, and the members are free.
            try one.complete(lease) { $0.status = "Completed" }
            #expect(try two.renew(first, now: 66) == nil && one.renew(second, now: 66) == nil)
        }
    }

    @Test func aGangGoesWithItsLeadersLeaseReleasedOrRecovered() throws {
        try withTwoDaemons { one, two in
            #expect(try one.enqueue(try multiInstanceJob("pair", instances: 2), tags: []))
            let lease = try #require(try one.claim(worker: "one/0", now: 0))
            let member = try #require(try two.join(worker: "two/0", host: "b", now: 0))
            try one.release(lease)  // the leader's node shuts down
            #expect(try two.renew(member, now: 1) == nil)

            let retaken = try #require(try two.claim(worker: "two/0", now: 2))
            let joined = try #require(try one.join(worker: "one/0", host: "a", now: 2))
            #expect(try two.gather(retaken, host: "b", now: 2)?.hosts == ["b", "a"])
            // The leader's node dies; its lease expires and another node recovers the job: the gang is let go too.
            #expect(try one.recoverExpiredLeases(now: 62) { _ in .requeue } == [retaken.job])
            #expect(try one.renew(joined, now: 62) == nil)
            let third = try #require(try one.claim(worker: "one/1", now: 63))
            #expect(try one.gather(third, host: "a", now: 63)?.hosts == ["a"], "a new gang forms from scratch")
        }
    }

    @Test func idleWorkersOfTwoNodesJoinGangsAndAreHeldUntilTheJobEnds() throws {
        try withTwoDaemons { (one, two) throws in
            for name in ["first-pair", "second-pair"] { #expect(try one.enqueue(try multiInstanceJob(name, instances: 2), tags: [])) }
            let events = Locked<[String]>([])
            let done = DispatchSemaphore(value: 0)
            let nodes = [("host-one", one), ("host-two", two)].map { host, queue in
                Self.node(queue, host: host, events: events) { job in
                    // A one-instance job queued while the second gang runs: a member that was not held would run it meanwhile.
                    if job == "second-pair" { _ = try? one.enqueue(try multiInstanceJob("single", instances: 1), tags: []) }
                    if job == "single" { done.signal() }
                }
            }
            for node in nodes { node.start() }
            defer { for node in nodes { node.shutdown() } }
            waitFor(done, "the single-instance job ran")
            #expect(
                events.value == [
                    "first-pair formed on [\"host-one\", \"host-two\"]", "first-pair ended",
                    "second-pair formed on [\"host-one\", \"host-two\"]", "second-pair ended", "single ran",
                ])
            #expect(try one.queuedJobs().isEmpty)
        }
    }

    /// A node's workers (one) on `queue`, advertising `host`: a multi-instance job's leader waits for its gang and
    /// records `<job> formed on <hosts>`, holds it half a second, records `<job> ended`; a one-instance job records
    /// `<job> ran`. `formed` is told each job once its gang formed (or it ran).
    static func node(_ queue: PostgresJobQueue, host: String, events: Locked<[String]>, formed: @escaping @Sendable (String) -> Void) -> TrainingQueue {
        let logger = Logger(label: "test")
        return TrainingQueue(
            jobs: queue, concurrency: 1, daemonID: host, clock: { Date().timeIntervalSince1970 }, logger: logger, pollInterval: 0.05,
            advertisedHost: host
        ) { job, control in
            if let gangs = control.gangs, job.name != "single" {
                guard case .formed(let hosts) = GangLeader(control: control, gangs: gangs, host: host, logger: logger).form(waiting: { _ in }) else {
                    return
                }
                events.update { $0.append("\(job.name) formed on \(hosts.sorted())") }
                formed(job.name)
                Thread.sleep(forTimeInterval: 0.5)
                events.update { $0.append("\(job.name) ended") }
            } else {
                events.update { $0.append("\(job.name) ran") }
            }
            try? control.complete { $0.status = "Completed" }
            if job.name == "single" { formed(job.name) }
        }
    }
}

/// A queued training job's record asking for `instances` instances.
func multiInstanceJob(_ name: String, instances: Int) throws -> ResourceRecord {
    var job = try queuedTrainingJob(name)
    job.document["ResourceConfig"] = ["InstanceType": "ml.m5.large", "InstanceCount": .int(instances), "VolumeSizeInGB": 1]
    return job
}
