import Foundation
import GRDB
import Testing

@testable import LabelStore

@Suite("LabelStore schema")
struct LabelStoreMigrationTests {
    @Test("a fresh in-memory store is migrated to the latest schema")
    func migratesInMemory() throws {
        let store = try LabelStore.inMemory()
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6"])
        let tables = [
            "dataset", "image", "imageContent", "labelCategory", "box", "revision", "labelChange", "setting", "labelingJob", "labelingJobItem",
            "labelingJobAnswer",
        ]
        #expect(try store.dbWriter.read { db in try tables.filter { try db.tableExists($0) } } == tables)
    }

    @Test("a v1 database is migrated to the latest schema with its rows kept")
    func migratesFromV1() throws {
        let queue = try DatabaseQueue()
        try LabelStore.migrator.migrate(queue, upTo: "v1")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO dataset (name, createdAt) VALUES ('bees', CURRENT_TIMESTAMP)")
            try db.execute(sql: "INSERT INTO image (datasetId, sha256, fileName, width, height) VALUES (1, 'abc', 'a.jpg', 500, 375)")
        }
        let store = try LabelStore(queue)
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6"])
        let image = try store.image(id: 1)
        #expect(image.fileName == "a.jpg" && image.orientation == .up && image.format == .jpeg && image.sourceRef == nil)
        #expect(try store.isLabeled(imageId: 1) == false)
    }

    @Test("v3 marks every earlier write human-made and refuses an unknown origin")
    func migratesToV3() throws {
        let queue = try DatabaseQueue()
        try LabelStore.migrator.migrate(queue, upTo: "v2")
        try queue.write { db in try db.execute(sql: "INSERT INTO revision (at, summary) VALUES (1, 'before v3')") }
        let store = try LabelStore(queue)
        #expect(try store.dbWriter.read { db in try String.fetchOne(db, sql: "SELECT origin FROM revision WHERE id = 1") } == "human")
        #expect(throws: DatabaseError.self) {
            try store.dbWriter.write { db in try db.execute(sql: "INSERT INTO revision (at, summary, origin) VALUES (2, 'x', 'robot')") }
        }
    }

    @Test("v4 makes each labeled task of an existing job a submitted answer: counters and output manifest unchanged")
    func migratesToV4() throws {
        let queue = try DatabaseQueue()
        let store = try LabelStore(queue)
        try store.createLabelingJob(
            .init(name: "old", labelAttributeName: "bees", inputManifest: LabelingJobTests.input, categories: LabelingJobTests.bees),
            loadImage: LabelingJobTests.loader(try LabelingJobTests.images())
        )
        let image = try store.images(in: try store.dataset(named: "labeling-job/old"))[0]
        try store.apply([.add(imageId: image.id, .init(classId: 0, left: 1, top: 2, width: 3, height: 4))])
        // As a v3 store had it: labeled, no answers table.
        try queue.write { db in
            try db.execute(sql: "DROP TABLE labelingJobAnswer; DELETE FROM grdb_migrations WHERE identifier = 'v4'")
        }
        let migrated = try LabelStore(queue)
        #expect(try migrated.labelingJob(named: "old").counters == LabelCounters(labeled: 1, failed: 2, unlabeled: 1))
        #expect(try migrated.outputManifest(ofLabelingJob: "old").contains(#""width": 3, "top": 2, "height": 4, "left": 1"#))
    }

    @Test("v6 keeps a v5 adjustment job one (task type from its adjusted attribute) and other jobs bounding-box ones")
    func migratesToV6() throws {
        let queue = try DatabaseQueue()
        try LabelStore.migrator.migrate(queue, upTo: "v5")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO dataset (id, name, createdAt) VALUES (1, 'labeling-job/review', '2026-12-01 10:00:00.000'),
                                                                  (2, 'labeling-job/draw', '2026-12-01 10:00:00.000');
                    INSERT INTO labelingJob (name, labelAttributeName, datasetId, status, createdAt, lastModifiedAt, adjustsLabelAttributeName)
                    VALUES ('review', 'bees-adjusted', 1, 'InProgress', '2026-12-01 10:00:00.000', '2026-12-01 10:00:00.000', 'bees'),
                           ('draw', 'bees', 2, 'Completed', '2026-12-01 10:00:00.000', '2026-12-01 10:00:00.000', NULL);
                    """
            )
        }
        let store = try LabelStore(queue)
        let review = try store.labelingJob(named: "review")
        #expect(review.taskType == .adjustment && review.reviewsLabelAttributeName == "bees" && review.taskAvailabilityLifetimeInSeconds == nil)
        let draw = try store.labelingJob(named: "draw")
        #expect(draw.taskType == .boundingBox && draw.reviewsLabelAttributeName == nil && draw.status == .completed)
    }

    @Test("a store file is in WAL mode and keeps what was written across reopening")
    func fileStore() throws {
        let folder = try TestImages.folder("store")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("labels.sqlite").path
        do {
            let store = try LabelStore.open(path: path)
            try store.addCategories(["bee"], to: try store.ensureDataset(named: "bees"))
            #expect(try store.dbWriter.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        }
        let reopened = try LabelStore.open(path: path)
        #expect(try reopened.categories(of: try reopened.dataset(named: "bees")).map(\.name) == ["bee"])
    }

    @Test("the schema refuses an image of a missing dataset and a duplicate image")
    func schemaHoldsInvariants() throws {
        let store = try LabelStore.inMemory()
        try store.dbWriter.write { db in
            try db.execute(sql: "INSERT INTO dataset (name, createdAt) VALUES ('bees', CURRENT_TIMESTAMP)")
            try db.execute(sql: "INSERT INTO image (datasetId, sha256, fileName, width, height) VALUES (1, 'abc', 'a.jpg', 500, 375)")
        }
        // A missing dataset: foreign key violation.
        #expect(throws: DatabaseError.self) {
            try store.dbWriter.write { db in
                try db.execute(sql: "INSERT INTO image (datasetId, sha256, fileName, width, height) VALUES (9, 'def', 'b.jpg', 10, 10)")
            }
        }
        // The same content twice in one dataset: unique violation.
        #expect(throws: DatabaseError.self) {
            try store.dbWriter.write { db in
                try db.execute(sql: "INSERT INTO image (datasetId, sha256, fileName, width, height) VALUES (1, 'abc', 'copy.jpg', 500, 375)")
            }
        }
        let count = try store.dbWriter.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM image") }
        #expect(count == 1)
    }
}
