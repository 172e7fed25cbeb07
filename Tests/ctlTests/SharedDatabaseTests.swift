import Foundation
import GroundTruthFormat
import ImageCodec
import LabelStore
import ModelCore
import Testing

/// Two `ctl serve` daemons — two ports, two homes — on one fresh PostgreSQL database of the test cluster
/// (`APIARY_TEST_DATABASE`, which scripts/test.sh sets; the suite is skipped without it), driven by boto3
/// (Tests/ClientSuites/compat/shared_database.py): one control plane and one queue served by both; one label store, whose
/// revision check holds across them (two labelers in the labeling UI, one on each); and the project's whole boto3/aws
/// CLI suite against one daemon on PostgreSQL, as `CompatibilityTests` runs it on SQLite.
@Suite(
    "two daemons on one PostgreSQL database",
    .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["APIARY_TEST_DATABASE"] != nil, "needs APIARY_TEST_DATABASE (scripts/test.sh)")
)
struct SharedDatabaseTests {
    @Test("what one daemon acknowledges the other serves; 20 queued jobs each run exactly once across both")
    func twoDaemonsShareTheControlPlaneAndTheQueue() throws {
        let daemons = try TwoDaemonsOnOneDatabase()
        defer { daemons.stop() }
        let (a, b) = (daemons.a, daemons.b)
        let run = try a.runClient("python3", ["Tests/ClientSuites/compat/shared_database.py"], environment: ["APIARY_URL_B": b.url])
        #expect(
            run.status == 0 && run.output.contains(" passed, 0 failed"),
            "\(run.output)\n--- A ---\n\(a.daemonLog.suffix(3000))\n--- B ---\n\(b.daemonLog.suffix(3000))"
        )
        // The daemons' own record of their workers: every job started once, by one of them.
        let starts = (a.daemonLog + b.daemonLog).split(separator: "\n").compactMap { line -> String? in
            guard line.hasSuffix("training job started"), let job = line.firstRange(of: "job=shared-") else { return nil }
            return String(line[job.upperBound...].prefix(while: { $0 != " " }))
        }
        #expect(starts.sorted() == (["one"] + (0..<20).map { String(format: "%02d", $0) }).sorted(), "\(starts.sorted())")
    }

    @Test("an UpdateEndpoint and a DeleteEndpoint made through one daemon reach the daemon that deployed the endpoint, without a restart")
    func anEndpointFollowsItsRecordOnEveryDaemon() throws {
        let database = try SharedTestDatabase()
        defer { database.drop() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-shared-endpoints-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        // Two tiny untrained models (which deployment answers is what is looked at) and a JPEG to send.
        var environment: [String: String] = [:]
        for (name, seed) in [("FIRST", UInt64(1)), ("SECOND", 2)] {
            let network = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: seed, engine: CPUEngine())
            let archive = try ModelArtifact(hyperparameters: ["num_classes": "1"], symbol: network.symbol(imageShape: 300), weights: network.weights()).archive()
            let file = scratch.appendingPathComponent("\(name).tar.gz")
            try Data(archive).write(to: file)
            environment["APIARY_MODEL_\(name)"] = file.path
        }
        let image = scratch.appendingPathComponent("bee.jpg")
        try Data(try JPEGCodec.encode(RGBImage(width: 48, height: 40), quality: 90)).write(to: image)
        environment["APIARY_IMAGE"] = image.path

        let arguments = ["--database", database.url, "--object-store", scratch.appendingPathComponent("s3").path]
        let a = try LiveDaemon(extraArguments: arguments)
        defer { a.terminate() }
        let b = try LiveDaemon(extraArguments: arguments)
        defer { b.terminate() }
        environment["APIARY_URL_B"] = b.url
        let run = try a.runClient("python3", ["Tests/ClientSuites/compat/shared_endpoints.py"], environment: environment)
        #expect(
            run.status == 0 && run.output.contains(" passed, 0 failed"),
            "\(run.output)\n--- A ---\n\(a.daemonLog.suffix(3000))\n--- B ---\n\(b.daemonLog.suffix(3000))")
        #expect(a.daemonLog.contains("endpoint=shared-bees [EndpointRuntime] endpoint let go here: it was deleted through another daemon"), "\(a.daemonLog.suffix(3000))")
    }

    @Test("the boto3 and aws CLI suite (Tests/ClientSuites/compat) passes against a daemon on PostgreSQL")
    func theCompatibilitySuitePassesOnPostgreSQL() throws {
        let database = try SharedTestDatabase()
        defer { database.drop() }
        let daemon = try LiveDaemon(extraArguments: ["--database", database.url])
        defer { daemon.terminate() }
        let run = try daemon.runClient("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "Tests/ClientSuites/compat"])
        #expect(run.status == 0, "\(run.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(4000))")
    }

    @Test(
        "two labelers on two daemons edit one image from the same revision: one wins, the other gets the revision conflict, and both daemons show the winner's boxes"
    )
    func aLabelRevisionCheckHoldsAcrossDaemons() async throws {
        let daemons = try TwoDaemonsOnOneDatabase()
        defer { daemons.stop() }
        let (a, b) = (daemons.a, daemons.b)
        // A dataset of one photo with classes bee and wasp, made through daemon A's label API (as `ctl labels` does).
        let folder = a.home.appendingPathComponent("bees")
        let generated = try CtlBinary.run(["datasets", "generate-sample", folder.path, "--count", "1", "--test-count", "0"])
        try #require(generated.status == 0, "\(generated.error)")
        let imported = try CtlBinary.run(["datasets", "import", folder.appendingPathComponent("images").path, "--dataset", "bees", "--endpoint-url", a.url])
        try #require(imported.status == 0, "\(imported.error)")
        let classes = try CtlBinary.run(["labels", "categories", "add", "--dataset", "bees", "bee", "wasp", "--endpoint-url", a.url])
        try #require(classes.status == 0, "\(classes.error)")

        // One labeler in the UI of each daemon; B's queue lists A's image, and both load it at one revision.
        let first = try await LabelUIClient(daemon: a)
        let second = try await LabelUIClient(daemon: b)
        let image = try #require(try await second.get("queue?dataset=bees").imageIds.first, "daemon B does not list the dataset made on A")
        let loadedFirst = try await first.get("images/\(image)")
        let loadedSecond = try await second.get("images/\(image)")
        let revision = try #require(loadedFirst.revision)
        #expect(loadedSecond.revision == revision && loadedFirst.boxes.isEmpty && loadedSecond.boxes.isEmpty)

        // Both save a box at once, each on its own daemon: exactly one write is taken.
        async let savedFirst = first.edit(image: image, atRevision: revision, [["op": "add", "classId": 0, "box": [10, 10, 30, 20]]])
        async let savedSecond = second.edit(image: image, atRevision: revision, [["op": "add", "classId": 1, "box": [40, 30, 20, 20]]])
        let answers = try await [savedFirst, savedSecond]
        #expect(answers.map(\.status).sorted() == [200, 409], "\(answers)")
        let winner = try #require(answers.first { $0.status == 200 })
        let loser = try #require(answers.first { $0.status == 409 })
        #expect(loser.error?.contains("was changed elsewhere") == true && loser.error?.contains("reload the image") == true, "\(loser)")
        #expect(winner.boxes.count == 1 && winner.revision.map { $0 > revision } == true, "\(winner)")

        // Both daemons now show the winner's boxes at the winner's revision.
        for labeler in [first, second] {
            let shown = try await labeler.get("images/\(image)")
            #expect(shown.boxes == winner.boxes && shown.revision == winner.revision, "\(labeler.base): \(shown)")
        }
        // labels.sqlite stays untouched: the labels are the database's.
        for daemon in [a, b] { #expect(!FileManager.default.fileExists(atPath: daemon.home.appendingPathComponent("labels.sqlite").path)) }
    }

    @Test(
        "ctl labels copy-to-database moves a home's labels.sqlite into the database, leaving the file as it was; a daemon on that home then serves them; a second copy and a copy under a running daemon are refused with the fix"
    )
    func aHomesLabelsAreCopiedIntoTheDatabase() throws {
        let database = try SharedTestDatabase()
        defer { database.drop() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-labels-copy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let file = home.appendingPathComponent("labels.sqlite")
        do {
            // A home's label store from before --database: one image with a box, moved once.
            let store = try LabelStore.open(path: file.path)
            let bees = try store.ensureDataset(named: "bees")
            try store.addCategories(["bee"], to: bees)
            let photo = try JPEGCodec.encode(RGBImage(width: 32, height: 24), quality: 90)
            let image = try store.addImage(bytes: photo, fileName: "1.jpg", sourceRef: nil, to: bees).image
            let box = try store.addBox(GroundTruthAnnotation(classId: 0, left: 1, top: 1, width: 8, height: 8), toImage: image.id)
            try store.apply([.update(boxId: box.id, GroundTruthAnnotation(classId: 0, left: 2, top: 1, width: 8, height: 8))])
        }
        let contents = { try Data(contentsOf: file) }
        let before = try contents()
        let copy = ["labels", "copy-to-database", "--home", home.path, "--database", database.url]

        let copied = try CtlBinary.run(copy)
        #expect(copied.status == 0, "\(copied.error)")
        #expect(copied.output.contains("1 datasets, 1 images, 1 boxes, 2 history entries, 0 labeling jobs"), "\(copied.output)")
        #expect(try contents() == before, "labels.sqlite is only read")

        // The daemon the home is then served by, on the database, has the labels.
        let daemon = try LiveDaemon(home: home, extraArguments: ["--database", database.url])
        defer { daemon.terminate() }
        let stats = try CtlBinary.run(["labels", "stats", "--dataset", "bees", "--endpoint-url", daemon.url])
        #expect(stats.status == 0 && stats.output.contains("bees: 1 images, 1 labeled, 0 to label, 1 boxes"), "\(stats.output)\(stats.error)")
        let busy = try CtlBinary.run(copy)
        #expect(busy.status == 1 && busy.error.contains("is running on \(home.path): stop it first"), "\(busy.error)")
        daemon.terminate()

        let again = try CtlBinary.run(copy)
        #expect(again.status == 1, "\(again.output)")
        #expect(again.error.contains("the database already holds dataset 'bees' of the same name; nothing was copied"), "\(again.error)")
        #expect(again.error.contains("If this home was copied there already, there is nothing left to do"), "\(again.error)")
        #expect(try contents() == before)
    }

    @Test("a database URL that does not answer stops the daemon at start with the fix")
    func anUnansweringDatabaseIsAClearErrorAtStart() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-nodb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let run = try CtlBinary.run(["serve", "--port", "0", "--home", home.path, "--database", "postgresql://apiary@127.0.0.1:1/apiary"])
        #expect(run.status == 1)
        #expect(run.error.contains("cannot reach the PostgreSQL database at postgresql://apiary@127.0.0.1:1/apiary"), "\(run.error)")
        #expect(run.error.contains("--database / APIARY_DATABASE"), "\(run.error)")
    }
}

/// Two `ctl serve` daemons — two ports, two homes — on one fresh database of the test cluster; `stop()` ends them and
/// drops the database.
final class TwoDaemonsOnOneDatabase {
    let database: SharedTestDatabase
    let a: LiveDaemon
    let b: LiveDaemon

    init() throws {
        let database = try SharedTestDatabase()
        do {
            a = try LiveDaemon(extraArguments: ["--database", database.url])
            b = try LiveDaemon(extraArguments: ["--database", database.url])
        } catch {
            database.drop()
            throw error
        }
        self.database = database
    }

    func stop() {
        a.terminate()
        b.terminate()
        database.drop()
    }
}
