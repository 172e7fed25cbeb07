/// `TransformJobStatus`, botocore's values; stored and sent as its raw value.
enum TransformJobStatus: String, Sendable, CaseIterable {
    case inProgress = "InProgress"
    case completed = "Completed"
    case failed = "Failed"
    case stopping = "Stopping"
    case stopped = "Stopped"

    /// Final: no event moves a job out of it.
    var isTerminal: Bool { self == .completed || self == .failed || self == .stopped }
}
