/// A labeling job's progress, as `DescribeLabelingJob` reports it (`LabelCounters`). One local worker labels
/// everything, so `humanLabeled == totalLabeled` and `machineLabeled == 0`.
public struct LabelCounters: Sendable, Equatable, Codable {
    public let totalLabeled: Int
    public let humanLabeled: Int
    public let machineLabeled: Int
    /// Input lines whose image could not be read or decoded.
    public let failedNonRetryableError: Int
    public let unlabeled: Int

    public init(labeled: Int, failed: Int, unlabeled: Int) {
        totalLabeled = labeled
        humanLabeled = labeled
        machineLabeled = 0
        failedNonRetryableError = failed
        self.unlabeled = unlabeled
    }

    enum CodingKeys: String, CodingKey {
        case totalLabeled = "TotalLabeled"
        case humanLabeled = "HumanLabeled"
        case machineLabeled = "MachineLabeled"
        case failedNonRetryableError = "FailedNonRetryableError"
        case unlabeled = "Unlabeled"
    }
}
