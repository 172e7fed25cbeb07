import Foundation
import GroundTruthFormat
import PostgresControlPlane
import PostgresTestSupport
import Testing

@testable import LabelStore

/// A home's `labels.sqlite` copied into the PostgreSQL database daemons share (`ctl labels copy-to-database`): a
/// SQLite store filled through LabelStore's API, copied into a fresh database of the test cluster, reads back the
/// same through LabelStore on both sides — and the copy is all or nothing.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs APIARY_TEST_DATABASE (scripts/test.sh)"))
struct LabelStoreCopyTests {
    /// Whole seconds, which every database keeps exactly.
    static func at(_ second: Int) -> Date { Date(timeIntervalSince1970: 1_700_000_000 + Double(second)) }

    /// A store with something of everything: two datasets of classes, images and bytes, boxes added, moved, deleted,
    /// undone and submitted, a labeling job with a submitted answer and a failed line, and the free-tier opt-in.
    static func fill(_ store: LabelStore) throws {
        let bees = try store.ensureDataset(named: "bees", now: at(0))
        try store.addCategories(["bee", "wasp"], to: bees)
        let images = try (0..<3).map {
            try store.addImage(bytes: try TestImages.jpeg(seed: $0), fileName: "\($0).jpg", sourceRef: "s3://bees/\($0).jpg", to: bees, now: at(1)).image
        }
        let box = try store.addBox(.init(classId: 0, left: 1.5, top: 2, width: 10.25, height: 20), toImage: images[0].id, now: at(2))
        try store.apply([.update(boxId: box.id, .init(classId: 1, left: 5, top: 2, width: 30, height: 20))], now: at(3))
        let gone = try store.addBox(.init(classId: 0, left: 0, top: 0, width: 64, height: 48), toImage: images[0].id, now: at(4))
        try store.apply([.delete(boxId: gone.id)], now: at(5))
        try store.apply([.undo(imageId: images[0].id)], now: at(6))  // the delete: the box is back with its id
        try store.apply([.submit(imageId: images[1].id)], summary: "nothing here", origin: .machine, now: at(7))
        _ = try store.ensureDataset(named: "empty", now: at(8))

        _ = try store.createLabelingJob(
            LabelingJobRequest(name: "bees-500", labelAttributeName: "bees-500", inputManifest: LabelingJobTests.input, categories: LabelingJobTests.bees),
            now: at(9), loadImage: LabelingJobTests.loader(try LabelingJobTests.images()))
        let job = try store.images(in: try store.dataset(named: LabelingJob.datasetName(ofJob: "bees-500")))
        try store.apply([.add(imageId: job[0].id, .init(classId: 0, left: 177, top: 256.2, width: 95.4, height: 86.8)), .submit(imageId: job[0].id)], now: at(10))
        try store.setLabelingBeyondFreeTier(true)
    }

    /// Everything a store shows through its API, ids and revisions included.
    struct Contents: Equatable {
        var datasets: [Dataset] = []
        var categories: [[LabelCategory]] = []
        var images: [[StoredImage]] = []
        var bytes: [[UInt8]] = []
        var labels: [ImageLabels] = []
        var history: [[LabelChange]] = []
        var stats: [DatasetStats] = []
        var jobs: [LabelingJob] = []
        var outputs: [String] = []
        var submitted: [Set<Int64>] = []
        var answers: [[GroundTruthManifestLine]] = []
        var answerTimes: [[Date]] = []
        var freeTier: FreeTier?

        init(_ store: LabelStore) throws {
            for dataset in try store.datasets() {
                datasets.append(dataset)
                categories.append(try store.categories(of: dataset))
                stats.append(try store.stats(of: dataset))
                let stored = try store.images(in: dataset)
                images.append(stored)
                for image in stored {
                    bytes.append(try store.imageBytes(id: image.id))
                    labels.append(try store.labels(ofImage: image.id))
                    history.append(try store.history(ofImage: image.id))
                }
            }
            jobs = try store.labelingJobs()
            for job in jobs {
                outputs.append(try store.outputManifest(ofLabelingJob: job.name))
                submitted.append(try store.submittedImages(ofLabelingJob: job.name))
                let tasks = try store.submittedTasks(ofLabelingJob: job.name)
                answers.append(tasks.map(\.line))
                answerTimes.append(tasks.map(\.submittedAt))
            }
            freeTier = try store.freeTier()
        }
    }

    /// Runs `body` with an empty label store on a fresh database of the test cluster, and the database under it.
    func withDatabase(_ body: (LabelStore, PostgresLabelDatabase) throws -> Void) throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let connections = try database.connections()
        defer { connections.close() }
        let target = try PostgresLabelDatabase(connections: connections)
        try body(LabelStore(database: target), target)
    }

    @Test("a SQLite store copied into an empty database reads back the same, ids and history included, and goes on working there")
    func aCopyReadsBackTheSame() throws {
        let source = try LabelStore.inMemory()
        try Self.fill(source)
        let before = try Contents(source)
        try withDatabase { target, database in
            let summary = try database.copy(from: source)
            let changes = before.history.joined().count
            let counts: [Int] = [summary.datasets, summary.images, summary.boxes, summary.changes, summary.labelingJobs]
            #expect(counts == [3, 5, 3, changes, 1] && changes >= 7, "\(summary)")
            let copied = try Contents(target)
            #expect(copied == before)
            #expect(copied.answers.joined().count == 1 && copied.freeTier?.optedIn == true)
            #expect(try Contents(source) == before, "the source is only read")

            // The copy is the store's own: undo walks its history back, and new rows take ids after the copied ones.
            let bees = try target.dataset(named: "bees")
            let first = try target.images(in: bees)[0].id
            try target.apply([.undo(imageId: first)])
            #expect(try target.boxes(onImage: first).count == 1)
            let added = try target.addBox(.init(classId: 0, left: 0, top: 0, width: 4, height: 4), toImage: first)
            #expect(added.id > before.labels.flatMap(\.boxes).map(\.id).max()! && added.id > before.history.flatMap { $0 }.compactMap(\.boxId).max()!)
            #expect(try target.ensureDataset(named: "later").id > before.datasets.map(\.id).max()!)
        }
    }

    @Test("a copy into a database with labels of its own keeps them and numbers after them; a name the database holds copies nothing")
    func aCopyBesideOtherLabelsAndAClash() throws {
        let source = try LabelStore.inMemory()
        try Self.fill(source)
        try withDatabase { target, database in
            let wasps = try target.ensureDataset(named: "wasps", now: Self.at(0))
            try target.addCategories(["wasp"], to: wasps)
            let image = try target.addImage(bytes: try TestImages.jpeg(seed: 9), fileName: "w.jpg", sourceRef: nil, to: wasps, now: Self.at(1)).image
            let box = try target.addBox(.init(classId: 0, left: 1, top: 1, width: 5, height: 5), toImage: image.id, now: Self.at(2))
            try target.apply([.delete(boxId: box.id)], now: Self.at(3))
            let own = try Contents(target)

            _ = try database.copy(from: source)
            let both = try Contents(target)
            #expect(both.datasets.map(\.name) == ["bees", "empty", "labeling-job/bees-500", "wasps"])
            let copiedChanges = try Contents(source).history.joined().count
            #expect(both.history.joined().count == own.history.joined().count + copiedChanges && both.labels.map(\.boxes).joined().count == 3)
            let waspsIndex = try #require(both.datasets.firstIndex { $0.name == "wasps" })
            #expect(both.datasets[waspsIndex] == own.datasets[0] && both.images[waspsIndex] == own.images[0])
            #expect(try target.history(ofImage: image.id) == own.history[0], "the database's own history is untouched")
            // The copied boxes and history sit after the database's own ids; undo brings the deleted box back under its id.
            let copiedBoxIds = both.labels.flatMap(\.boxes).map(\.id)
            #expect(copiedBoxIds.allSatisfy { $0 > box.id })
            try target.apply([.undo(imageId: image.id)])
            #expect(try target.boxes(onImage: image.id).map(\.id) == [box.id])

            let after = try Contents(target)
            let clash = #expect(throws: LabelCopyConflict.self) { try database.copy(from: source) }
            #expect(clash?.datasets == ["bees", "empty", "labeling-job/bees-500"] && clash?.labelingJobs == ["bees-500"])
            #expect(clash?.description.contains("nothing was copied") == true)
            #expect(try Contents(target) == after, "a refused copy changes nothing")
        }
    }
}
