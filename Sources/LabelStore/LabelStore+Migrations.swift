import GRDB

extension LabelStore {
    /// The schema, one registered migration per version. Invariants live in the schema: a box cannot point at
    /// a missing image, and an image cannot appear twice in a dataset (content-hash dedupe).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "dataset") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "image") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("dataset", onDelete: .cascade).notNull()
                t.column("sha256", .text).notNull()
                t.column("fileName", .text).notNull()
                t.column("width", .integer).notNull().check { $0 > 0 }
                t.column("height", .integer).notNull().check { $0 > 0 }
                t.uniqueKey(["datasetId", "sha256"])
            }
        }
        return migrator
    }
}
