import GRDB

extension SQLiteStoreBackend {
    /// Records a new training or transform job and queues it, in one transaction: an acknowledged job is always queued.
    /// - Returns: false (changing nothing) when a job of that kind and name exists.
    package func insertQueued(_ job: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool {
        try dbWriter.write { db in
            if try Self.find(job.kind, job.name, in: db) != nil { return false }
            try job.insert(db)
            try Self.setTags(tags, on: job.arn, in: db)
            try db.execute(sql: "INSERT INTO trainingQueue (name) VALUES (?)", arguments: [QueueEntry.entry(job.kind, job.name)])
            return true
        }
    }

    /// The queued or running jobs, oldest first.
    package func trainingQueue() throws -> [String] {
        try dbWriter.read { db in try String.fetchAll(db, sql: "SELECT name FROM trainingQueue ORDER BY seq") }
    }

    /// Takes a job off the queue (by its `QueueEntry`), changing its record in the same transaction (its end state).
    package func dequeue(_ entry: String, _ change: (inout ResourceRecord) throws -> Void) throws {
        try dbWriter.write { db in
            try db.execute(sql: "DELETE FROM trainingQueue WHERE name = ?", arguments: [entry])
            let job = QueueEntry.job(entry)
            guard var record = try Self.find(job.kind, job.name, in: db) else { return }
            try change(&record)
            try record.update(db)
        }
    }

    package func isQueued(_ entry: String) throws -> Bool {
        try dbWriter.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM trainingQueue WHERE name = ?)", arguments: [entry]) ?? false
        }
    }

    package func recoverQueued(_ job: QueuedJob, _ recover: (inout ResourceRecord) throws -> JobRecovery) throws {
        try dbWriter.write { db in
            guard var record = try Self.find(job.kind, job.name, in: db) else { return }
            let recovery = try recover(&record)
            try record.update(db)
            if recovery == .remove {
                try db.execute(sql: "DELETE FROM trainingQueue WHERE name = ?", arguments: [QueueEntry.entry(job.kind, job.name)])
            }
        }
    }
}
