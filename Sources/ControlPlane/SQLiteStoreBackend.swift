import Foundation
import GRDB

/// The control plane in the daemon's own SQLite file in WAL mode (`$APIARY_HOME/state.sqlite`), the embedded
/// default: one daemon per file (`HomeLock`), every change one GRDB write transaction.
package struct SQLiteStoreBackend: ControlPlaneBackend {
    let dbWriter: any DatabaseWriter

    /// Opens the store on `dbWriter` and brings its schema up to date.
    package init(_ dbWriter: any DatabaseWriter) throws {
        self.dbWriter = dbWriter
        try Self.migrator.migrate(dbWriter)
    }

    /// Opens (creating if needed) the store's file in WAL mode, so readers never wait for the writer.
    package static func open(path: String) throws -> SQLiteStoreBackend {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        return try SQLiteStoreBackend(DatabasePool(path: path, configuration: configuration))
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // One row per SageMaker resource; `document` is its Describe answer as JSON, kept current.
            try db.create(table: "resource") { t in
                t.column("kind", .text).notNull()
                t.column("name", .text).notNull()
                t.column("arn", .text).notNull().unique()
                t.column("creationTime", .double).notNull()
                t.column("lastModifiedTime", .double).notNull()
                t.column("status", .text)
                t.column("document", .text).notNull()
                t.primaryKey(["kind", "name"])
            }
            try db.create(table: "tag") { t in
                t.column("arn", .text).notNull()
                t.column("key", .text).notNull()
                t.column("value", .text).notNull()
                t.primaryKey(["arn", "key"])
            }
            // Training jobs waiting or running, in arrival order; a row leaves when its job ends.
            try db.create(table: "trainingQueue") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("name", .text).notNull().unique()
            }
            try db.create(table: "logStream") { t in
                t.column("groupName", .text).notNull()
                t.column("streamName", .text).notNull()
                t.column("creationTime", .integer).notNull()
                t.primaryKey(["groupName", "streamName"])
            }
            try db.create(table: "logEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("groupName", .text).notNull()
                t.column("streamName", .text).notNull()
                t.column("timestamp", .integer).notNull()
                t.column("ingestionTime", .integer).notNull()
                t.column("message", .text).notNull()
                t.foreignKey(["groupName", "streamName"], references: "logStream", onDelete: .cascade)
            }
            try db.create(index: "logEventByStream", on: "logEvent", columns: ["groupName", "streamName", "id"])
        }
        return migrator
    }
}

extension SQLiteStoreBackend {
    package func wipe() throws {
        try dbWriter.write { db in
            for table in ["tag", "trainingQueue", "logEvent", "logStream", "resource"] { try db.execute(sql: "DELETE FROM \(table)") }
        }
    }
}
