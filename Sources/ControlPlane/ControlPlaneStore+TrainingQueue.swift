import GRDB

/// The training workers run training jobs and batch transform jobs from one queue. An entry is a training job's
/// name, or `transform-job/<name>` for a transform job (training jobs' names cannot hold a `/`).
package enum QueueEntry {
    static let transformPrefix = "transform-job/"

    package static func entry(_ kind: ResourceKind, _ name: String) -> String {
        kind == .transformJob ? transformPrefix + name : name
    }

    /// The job an entry stands for.
    package static func job(_ entry: String) -> QueuedJob {
        entry.hasPrefix(transformPrefix)
            ? QueuedJob(kind: .transformJob, name: String(entry.dropFirst(transformPrefix.count))) : QueuedJob(kind: .trainingJob, name: entry)
    }
}

extension ControlPlaneStore {
    /// Records a new training or transform job and queues it, in one transaction: an acknowledged job is always queued.
    /// - Returns: false (changing nothing) when a job of that kind and name exists.
    public func insertQueued(_ job: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool {
        try dbWriter.write { db in
            if try Self.find(job.kind, job.name, in: db) != nil { return false }
            try job.insert(db)
            try Self.setTags(tags, on: job.arn, in: db)
            try db.execute(sql: "INSERT INTO trainingQueue (name) VALUES (?)", arguments: [QueueEntry.entry(job.kind, job.name)])
            return true
        }
    }

    /// The queued or running jobs, oldest first.
    public func trainingQueue() throws -> [String] {
        try dbWriter.read { db in try String.fetchAll(db, sql: "SELECT name FROM trainingQueue ORDER BY seq") }
    }

    /// Takes a job off the queue (by its `QueueEntry`), changing its record in the same transaction (its end state).
    public func dequeue(_ entry: String, _ change: (inout ResourceRecord) throws -> Void) throws {
        try dbWriter.write { db in
            try db.execute(sql: "DELETE FROM trainingQueue WHERE name = ?", arguments: [entry])
            let job = QueueEntry.job(entry)
            guard var record = try Self.find(job.kind, job.name, in: db) else { return }
            try change(&record)
            try record.update(db)
        }
    }
}

