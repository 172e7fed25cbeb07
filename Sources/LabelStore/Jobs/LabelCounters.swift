/// A labeling job's progress, as `DescribeLabelingJob` reports it (`LabelCounters`). An image counts as
/// machine-labeled when its labels in effect came from a machine-made write (`LabelOrigin.machine`).
public struct LabelCounters: Sendable, Equatable, Codable {
    public let totalLabeled: Int
    public let humanLabeled: Int
    public let machineLabeled: Int
    /// Input lines whose image could not be read or decoded.
    public let failedNonRetryableError: Int
    public let unlabeled: Int

    public init(labeled: Int, machineLabeled: Int = 0, failed: Int, unlabeled: Int) {
        totalLabeled = labeled
        humanLabeled = labeled - machineLabeled
        self.machineLabeled = machineLabeled
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
