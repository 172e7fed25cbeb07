/// What the training operations need from the queue that runs jobs.
package protocol TrainingScheduler: Sendable {
    /// A job was queued: a free worker should pick it up.
    func jobQueued()
    /// StopTrainingJob on an InProgress job, atomic with respect to workers picking jobs up: a running job goes
    /// to Stopping and is ended between batches; a job still queued goes straight to Stopped and never runs.
    func stop(_ name: String, at time: Double) throws
    /// StopTransformJob on an InProgress job, likewise: a running job goes to Stopping and ends Stopped between
    /// objects; a queued one goes straight to Stopped.
    func stopTransform(_ name: String, at time: Double) throws
}
