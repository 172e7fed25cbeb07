import ControlPlane

/// A training job's `SecondaryStatus`, botocore's values; stored and sent as its raw value. Apiary passes through
/// `Starting`, the running ones (`TrainingSecondaryStatus`) and the terminal ones; the others are read, never set.
package enum SecondaryStatus: String, Sendable, CaseIterable {
    case starting = "Starting"
    case launchingMLInstances = "LaunchingMLInstances"
    case preparingTrainingStack = "PreparingTrainingStack"
    case downloading = "Downloading"
    case downloadingTrainingImage = "DownloadingTrainingImage"
    case training = "Training"
    case uploading = "Uploading"
    case stopping = "Stopping"
    case stopped = "Stopped"
    case maxRuntimeExceeded = "MaxRuntimeExceeded"
    case completed = "Completed"
    case failed = "Failed"
    case interrupted = "Interrupted"
    case maxWaitTimeExceeded = "MaxWaitTimeExceeded"
    case updating = "Updating"
    case restarting = "Restarting"
    case pending = "Pending"

    /// The statuses of a run under way: a restart finds such a job interrupted.
    package var isRunning: Bool { self == .downloading || self == .training || self == .uploading }

    package init(_ run: TrainingSecondaryStatus) {
        switch run {
        case .downloading: self = .downloading
        case .training: self = .training
        case .uploading: self = .uploading
        }
    }
}
