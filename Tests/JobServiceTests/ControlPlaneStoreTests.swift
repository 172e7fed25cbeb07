import AWSProtocol
import Foundation
import Testing

@testable import ControlPlane
@testable import PostgresControlPlane
import PostgresTestSupport
@testable import TrainingExecution

/// What `ControlPlaneStore` promises its callers — resources unique by kind and name, tags, log streams and
/// events, the queue helpers, the reset — checked on both backends: the daemon's SQLite file, and PostgreSQL on a
/// fresh database of the test cluster (when `APIARY_TEST_DATABASE` names one, as scripts/test.sh does), dropped after.
@Suite struct ControlPlaneStoreTests {
    /// A store on one backend, removed with the harness.
    final class Harness: @unchecked Sendable, CustomTestStringConvertible {
        let store: ControlPlaneStore
        let testDescription: String
        private var cleanUp: () -> Void = {}

        init(_ backend: String) throws {
            testDescription = backend
            if backend == "sqlite" {
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-store-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                cleanUp = { try? FileManager.default.removeItem(at: directory) }
                store = try ControlPlaneStore.open(path: directory.appendingPathComponent("state.sqlite").path)
                return
            }
            let database = try TestDatabase()
            do {
                let connections = try database.connections()
                cleanUp = {
                    connections.close()
                    database.drop()
                }
                store = ControlPlaneStore(backend: try PostgresStoreBackend(connections: connections))
            } catch {
                cleanUp()
                throw error
            }
        }

        deinit { cleanUp() }
    }

    static let backends = ["sqlite"] + (TestDatabase.isConfigured ? ["postgres"] : [])

    func model(_ name: String, at time: Double = 1) -> ResourceRecord {
        ResourceRecord(
            kind: .model,
            name: name,
            arn: "arn:aws:sagemaker:us-east-1:123456789012:model/\(name)",
            creationTime: time,
            lastModifiedTime: time,
            status: nil,
            document: ["ModelName": .string(name)]
        )
    }

    /// A name with a NUL character (`%00` in a request's path) is no resource on either backend — SQLite used to compare
    /// it up to the NUL, so `m%00` found, changed and deleted `m` — and is not stored (`NULCharacterError`); PostgreSQL,
    /// whose text cannot hold the character, refuses other text with it as `textWithNUL`.
    @Test(arguments: backends)
    func aNameWithANULCharacterIsNoResource(backend: String) throws {
        let harness = try Harness(backend)
        defer { withExtendedLifetime(harness) {} }
        let store = harness.store
        #expect(try store.insert(model("m")))
        let nul = "m\u{0}"
        #expect(try store.resource(.model, named: nul) == nil)
        #expect(try store.resource(arn: model(nul).arn) == nil)
        #expect(try store.update(.model, named: nul) { $0.status = "x" } == nil)
        #expect(try !store.delete(.model, named: nul))
        #expect(try store.resource(.model, named: "m") == model("m"))
        #expect(throws: NULCharacterError.self) { try store.insert(model(nul)) }
        #expect(throws: NULCharacterError.self) { try store.addTags([("k", "v")], to: model(nul).arn, limit: 50) }
        #expect(try store.tags(of: model(nul).arn).isEmpty)
        try store.appendLogEvents(group: "g", stream: "s", [(1, "line")], now: 1)
        #expect(try !store.logStreamExists(group: "g", stream: "s\u{0}"))
        #expect(throws: NULCharacterError.self) { try store.appendLogEvents(group: "g", stream: "s\u{0}", [(1, "x")], now: 1) }
        #expect(try store.logStreams(group: "g").map(\.streamName) == ["s"])
        guard backend == "postgres" else { return }
        // Other text with the character: PostgreSQL's own refusal, typed.
        #expect {
            try store.appendLogEvents(group: "g", stream: "s", [(2, "a\u{0}b")], now: 2)
        } throws: { error in
            (error as? PostgresDatabaseError)?.isTextWithNUL == true
        }
    }

    @Test(arguments: backends)
    func aResourceIsUniqueByKindAndNameAndChangesInPlace(backend: String) throws {
        let harness = try Harness(backend)
        defer { withExtendedLifetime(harness) {} }
        let store = harness.store
        #expect(try store.insert(model("m"), tags: [("team", "bees")]))
        #expect(try !store.insert(model("m", at: 2)), "the name is taken")
        #expect(try store.resource(.model, named: "m") == model("m"))
        #expect(try store.resource(arn: model("m").arn)?.name == "m")
        #expect(try store.resource(.endpoint, named: "m") == nil, "the kind is part of the key")
        #expect(try store.insert(model("n", at: 2)))
        #expect(try store.resources(.model).map(\.name).sorted() == ["m", "n"])
        let changed = try store.update(.model, named: "m") {
            $0.status = "Changed"
            $0.document["Extra"] = .string("x")
        }
        #expect(changed?.status == "Changed")
        #expect(try store.resource(.model, named: "m") == changed)
        #expect(try store.update(.model, named: "absent") { $0.status = "x" } == nil)
        #expect(try store.delete(.model, named: "m"))
        #expect(try !store.delete(.model, named: "m"))
        #expect(try store.resource(.model, named: "m") == nil)
        #expect(try store.tags(of: model("m").arn).isEmpty, "a resource's tags go with it")
    }

    @Test(arguments: backends)
    func tagsAreSortedOverwrittenLimitedAndDeleted(backend: String) throws {
        let harness = try Harness(backend)
        defer { withExtendedLifetime(harness) {} }
        let store = harness.store
        let arn = model("m").arn
        #expect(try store.insert(model("m"), tags: [("b", "1"), ("B", "2")]))
        #expect(try store.addTags([("a", "3"), ("b", "4")], to: arn, limit: 3))
        #expect(try store.tags(of: arn).map { "\($0.key)=\($0.value)" } == ["B=2", "a=3", "b=4"], "bytewise order, b overwritten")
        #expect(try !store.addTags([("c", "5")], to: arn, limit: 3), "a fourth key passes the limit")
        #expect(try store.tags(of: arn).count == 3)
        try store.deleteTags(["a", "B", "absent"], from: arn)
        #expect(try store.tags(of: arn).map(\.key) == ["b"])
    }

    @Test(arguments: backends)
    func logEventsAreKeptInOrderAndFiltered(backend: String) throws {
        let harness = try Harness(backend)
        defer { withExtendedLifetime(harness) {} }
        let store = harness.store
        try store.appendLogEvents(group: "/g", stream: "s/2", [(timestamp: 10, message: "one"), (timestamp: 20, message: "twö")], now: 100)
        try store.appendLogEvents(group: "/g", stream: "s/1", [(timestamp: 15, message: "three")], now: 101)
        try store.appendLogEvents(group: "/g", stream: "t", [], now: 102)
        try store.appendLogEvents(group: "/a", stream: "x", [(timestamp: 1, message: "x")], now: 103)
        #expect(try store.logGroups() == ["/a", "/g"])
        #expect(try store.logStreamExists(group: "/g", stream: "t") && !store.logStreamExists(group: "/g", stream: "u"))
        let streams = try store.logStreams(group: "/g", prefix: "s/")
        #expect(streams.map(\.streamName) == ["s/1", "s/2"])
        #expect(
            streams.last
                == LogStreamSummary(
                    groupName: "/g",
                    streamName: "s/2",
                    creationTime: 100,
                    firstEventTimestamp: 10,
                    lastEventTimestamp: 20,
                    lastIngestionTime: 100,
                    storedBytes: 7
                )
        )
        #expect(try store.logStreams(group: "/g").last?.firstEventTimestamp == nil, "a stream without events")
        let all = try store.logEvents(group: "/g", stream: "s/2", ids: 0...Int64.max, start: nil, end: nil, limit: 10, fromEnd: false)
        #expect(all.map(\.message) == ["one", "twö"] && all[0].id < all[1].id && all[0].ingestionTime == 100)
        #expect(
            try store.logEvents(group: "/g", stream: "s/2", ids: 0...Int64.max, start: nil, end: nil, limit: 1, fromEnd: true).map(\.message) == [
                "twö"
            ]
        )
        #expect(
            try store.logEvents(group: "/g", stream: "s/2", ids: 0...Int64.max, start: 11, end: 21, limit: 10, fromEnd: false).map(\.message) == [
                "twö"
            ]
        )
        #expect(try store.logEvents(group: "/g", stream: "s/2", ids: all[1].id...all[1].id, start: nil, end: 20, limit: 10, fromEnd: false).isEmpty)
        let filtered = try store.logEvents(group: "/g", streams: nil, prefix: "s/", after: 0, start: nil, end: nil, limit: 10)
        #expect(filtered.map { "\($0.stream):\($0.event.message)" } == ["s/2:one", "s/2:twö", "s/1:three"], "store order")
        #expect(
            try store.logEvents(group: "/g", streams: ["s/1"], prefix: "", after: 0, start: nil, end: nil, limit: 10).map(\.event.message) == [
                "three"
            ]
        )
        #expect(try store.logEvents(group: "/g", streams: [], prefix: "", after: 0, start: nil, end: nil, limit: 10).isEmpty)
        #expect(
            try store.logEvents(group: "/g", streams: nil, prefix: "", after: all[0].id, start: 12, end: nil, limit: 1).map(\.event.message) == [
                "twö"
            ]
        )
    }

    @Test(arguments: backends)
    func queuedJobsAreRecordedQueuedAndDequeuedWithTheirEndState(backend: String) throws {
        let harness = try Harness(backend)
        defer { withExtendedLifetime(harness) {} }
        let store = harness.store
        #expect(try store.insertQueued(try queuedTrainingJob("a"), tags: [("k", "v")]))
        var transform = try queuedTrainingJob("a")
        transform.kind = .transformJob
        transform.arn = "arn:aws:sagemaker:us-east-1:123456789012:transform-job/a"
        #expect(try store.insertQueued(transform, tags: []))
        #expect(try !store.insertQueued(try queuedTrainingJob("a"), tags: []), "queued once by kind and name")
        #expect(try store.trainingQueue() == ["a", "transform-job/a"])
        #expect(try store.isQueued(QueuedJob(kind: .transformJob, name: "a")))
        try store.dequeue("a") { $0.status = "Completed" }
        #expect(try store.trainingQueue() == ["transform-job/a"])
        #expect(try store.resource(.trainingJob, named: "a")?.status == "Completed")
        #expect(try store.tags(of: try queuedTrainingJob("a").arn).map(\.key) == ["k"])
        try store.recoverQueued(QueuedJob(kind: .transformJob, name: "a")) { _ in .requeue }
        #expect(try store.trainingQueue() == ["transform-job/a"])
        try store.recoverQueued(QueuedJob(kind: .transformJob, name: "a")) {
            $0.status = "Stopped"
            return .remove
        }
        #expect(try store.trainingQueue().isEmpty && !store.isQueued(QueuedJob(kind: .transformJob, name: "a")))
        #expect(try store.resource(.transformJob, named: "a")?.status == "Stopped")
    }

    @Test(arguments: backends)
    func wipeLeavesNothing(backend: String) throws {
        let harness = try Harness(backend)
        defer { withExtendedLifetime(harness) {} }
        let store = harness.store
        #expect(try store.insertQueued(try queuedTrainingJob("a"), tags: [("k", "v")]))
        try store.appendLogEvents(group: "/g", stream: "s", [(timestamp: 1, message: "m")], now: 2)
        try store.wipe()
        #expect(try store.resources(.trainingJob).isEmpty && store.trainingQueue().isEmpty && store.logGroups().isEmpty)
        #expect(try store.tags(of: try queuedTrainingJob("a").arn).isEmpty)
        #expect(try store.insertQueued(try queuedTrainingJob("a"), tags: []), "the name is free again")
    }
}
