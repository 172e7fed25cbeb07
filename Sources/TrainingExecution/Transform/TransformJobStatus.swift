import ControlPlane

/// `TransformJobStatus`, botocore's values; stored and sent as its raw value.
package enum TransformJobStatus: String, JobStatus, Sendable, CaseIterable {
    case inProgress = "InProgress"
    case completed = "Completed"
    case failed = "Failed"
    case stopping = "Stopping"
    case stopped = "Stopped"
}
