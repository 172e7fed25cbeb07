extension ControlPlaneStore {
    /// Records a new training or transform job and queues it, in one transaction: an acknowledged job is always queued.
    /// - Returns: false (changing nothing) when a job of that kind and name exists.
    public func insertQueued(_ job: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool {
        try backend.insertQueued(job, tags: tags)
    }

    /// The queued or running jobs, oldest first.
    public func trainingQueue() throws -> [String] {
        try backend.trainingQueue()
    }

    /// Takes a job off the queue (by its `QueueEntry`), changing its record in the same transaction (its end state).
    public func dequeue(_ entry: String, _ change: (inout ResourceRecord) throws -> Void) throws {
        try backend.dequeue(entry, change)
    }

    func isQueued(_ job: QueuedJob) throws -> Bool {
        try backend.isQueued(QueueEntry.entry(job.kind, job.name))
    }

    func recoverQueued(_ job: QueuedJob, _ recover: (inout ResourceRecord) throws -> JobRecovery) throws {
        try backend.recoverQueued(job, recover)
    }
}
