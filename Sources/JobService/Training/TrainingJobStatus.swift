/// `TrainingJobStatus`, botocore's values; stored (the `status` column, the Describe document) and sent as its raw
/// value, so databases written before it existed load unchanged.
enum TrainingJobStatus: String, Sendable, CaseIterable {
    case inProgress = "InProgress"
    case completed = "Completed"
    case failed = "Failed"
    case stopping = "Stopping"
    case stopped = "Stopped"
    case deleting = "Deleting"

    /// Final: no event moves a job out of it.
    var isTerminal: Bool { self == .completed || self == .failed || self == .stopped }
}
