import ControlPlane
import LabelStore

/// `LabelingJobStatus`, botocore's values; stored and sent as its raw value.
package enum LabelingJobStatus: String, JobStatus, Sendable, CaseIterable {
    case initializing = "Initializing"
    case inProgress = "InProgress"
    case completed = "Completed"
    case failed = "Failed"
    case stopping = "Stopping"
    case stopped = "Stopped"

    /// The label store's status of the job, as the control plane shows it.
    package init(_ status: LabelingJob.Status) {
        switch status {
        case .inProgress: self = .inProgress
        case .completed: self = .completed
        case .stopped: self = .stopped
        }
    }
}
