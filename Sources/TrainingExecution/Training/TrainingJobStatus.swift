import ControlPlane

/// `TrainingJobStatus`, botocore's values; stored (the `status` column, the Describe document) and sent as its raw
/// value, so databases written before it existed load unchanged.
package enum TrainingJobStatus: String, JobStatus, Sendable, CaseIterable {
    case inProgress = "InProgress"
    case completed = "Completed"
    case failed = "Failed"
    case stopping = "Stopping"
    case stopped = "Stopped"
    case deleting = "Deleting"
}
