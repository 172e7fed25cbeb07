import GRDB
import Testing

@testable import LabelStore

@Suite("LabelStore schema")
struct LabelStoreMigrationTests {
    @Test("a fresh in-memory store is migrated to the latest schema")
    func migratesInMemory() throws {
        let store = try LabelStore.inMemory()
        #expect(try store.appliedMigrations() == ["v1"])
        let tables = try store.dbWriter.read { db in
            try ["dataset", "image"].filter { try db.tableExists($0) }
        }
        #expect(tables == ["dataset", "image"])
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
