import Foundation
import GRDB
import Testing

@testable import LabelStore

@Suite("LabelStore schema")
struct LabelStoreMigrationTests {
    @Test("a fresh in-memory store is migrated to the latest schema")
    func migratesInMemory() throws {
        let store = try LabelStore.inMemory()
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3"])
        let tables = [
            "dataset", "image", "imageContent", "labelCategory", "box", "revision", "labelChange", "setting", "labelingJob", "labelingJobItem",
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
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3"])
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
