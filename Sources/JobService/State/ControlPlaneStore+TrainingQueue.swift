import GRDB

extension ControlPlaneStore {
    /// Records a new training job and queues it, in one transaction: an acknowledged job is always queued.
    /// - Returns: false (changing nothing) when a job of that name exists.
    public func insertQueued(_ job: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool {
        try dbWriter.write { db in
            if try Self.find(.trainingJob, job.name, in: db) != nil { return false }
            try job.insert(db)
            try Self.setTags(tags, on: job.arn, in: db)
            try db.execute(sql: "INSERT INTO trainingQueue (name) VALUES (?)", arguments: [job.name])
            return true
        }
    }

    /// The queued or running jobs, oldest first.
    public func trainingQueue() throws -> [String] {
        try dbWriter.read { db in try String.fetchAll(db, sql: "SELECT name FROM trainingQueue ORDER BY seq") }
    }

    /// Takes a job off the queue, changing its record in the same transaction (its end state).
    public func dequeue(_ name: String, _ change: (inout ResourceRecord) throws -> Void) throws {
        try dbWriter.write { db in
            try db.execute(sql: "DELETE FROM trainingQueue WHERE name = ?", arguments: [name])
            guard var record = try Self.find(.trainingJob, name, in: db) else { return }
            try change(&record)
            try record.update(db)
        }
    }
}

