import ControlPlane
import PostgresNIO

/// The queue helpers over `training_queue` (its lease columns are `PostgresJobQueue`'s, untouched here).
extension PostgresStoreBackend {
    package func insertQueued(_ job: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool {
        try connections.transaction { try $0.insertQueued(job, tags: tags) }
    }

    package func trainingQueue() throws -> [String] {
        try connections.withSession { session in
            try session.query("SELECT name FROM training_queue ORDER BY seq").rows.map { try $0.decode(String.self) }
        }
    }

    package func isQueued(_ entry: String) throws -> Bool {
        try connections.withSession { !(try $0.query("SELECT 1 FROM training_queue WHERE name = \(entry)").rows.isEmpty) }
    }

    package func dequeue(_ entry: String, _ change: (inout ResourceRecord) throws -> Void) throws {
        try connections.transaction { session in
            try session.query("DELETE FROM training_queue WHERE name = \(entry)")
            try session.change(QueueEntry.job(entry), change)
        }
    }

    package func recoverQueued(_ job: QueuedJob, _ recover: (inout ResourceRecord) throws -> JobRecovery) throws {
        try connections.transaction { session in
            var recovery = JobRecovery.requeue
            guard try session.change(job.kind, job.name, { recovery = try recover(&$0) }) != nil else { return }
            if recovery == .remove {
                try session.query("DELETE FROM training_queue WHERE name = \(QueueEntry.entry(job.kind, job.name))")
            }
        }
    }
}
