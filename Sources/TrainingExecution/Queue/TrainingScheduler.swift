import ControlPlane

/// What the training operations need from the queue that runs jobs.
package protocol TrainingScheduler: Sendable {
    /// Records a new job and queues it in one transaction, and wakes a free worker.
    /// - Returns: false (changing nothing) when a job of that kind and name exists.
    func enqueue(_ job: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool
    /// StopTrainingJob on an InProgress job, atomic with respect to workers picking jobs up: a running job goes
    /// to Stopping and is ended between batches; a job still queued goes straight to Stopped and never runs.
    func stop(_ name: String, at time: Double) throws
    /// StopTransformJob on an InProgress job, likewise: a running job goes to Stopping and ends Stopped between
    /// objects; a queued one goes straight to Stopped.
    func stopTransform(_ name: String, at time: Double) throws
}
