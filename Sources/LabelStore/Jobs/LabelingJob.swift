import Foundation

/// A labeling job: an input manifest's images to label with a set of classes, in the job's own dataset
/// (`labeling-job/<name>`), and how far it has got.
public struct LabelingJob: Sendable, Equatable {
    /// The statuses the store knows; `Initializing` and `Stopping` are instants in between that the daemon may
    /// show while it calls the store.
    public enum Status: String, Sendable, CaseIterable {
        /// Images are still to label.
        case inProgress = "InProgress"
        /// Every image that could be read is labeled, a stopping condition was met, or the tasks' availability
        /// lifetime ended.
        case completed = "Completed"
        /// Stopped by `StopLabelingJob`; the output manifest has the labels made so far.
        case stopped = "Stopped"
    }

    /// An input manifest line the job could not use (counted in `FailedNonRetryableError`).
    public struct Failure: Sendable, Equatable {
        /// 1-based line number in the input manifest (blank lines counted).
        public let line: Int
        public let reason: String
    }

    /// The dataset a job labels in: `labeling-job/<name>`, also the output manifest's `job-name`.
    public static func datasetName(ofJob name: String) -> String { "labeling-job/" + name }

    public let name: String
    public let labelAttributeName: String
    public let datasetName: String
    public let status: Status
    public let counters: LabelCounters
    public let maxHumanLabeledObjectCount: Int?
    public let maxPercentageOfInputDatasetLabeled: Int?
    public let createdAt: Date
    public let lastModifiedAt: Date
    public let failures: [Failure]
    /// What the worker does: draw, adjust or verify boxes.
    public let taskType: LabelingTaskType
    /// For an adjustment or verification job: the input manifest's label attribute whose boxes were pre-drawn;
    /// nil otherwise.
    public let reviewsLabelAttributeName: String?
    /// `HumanTaskConfig.TaskAvailabilityLifetimeInSeconds`: tasks not submitted this long after creation expire,
    /// and the job completes with the answers submitted until then.
    public let taskAvailabilityLifetimeInSeconds: Int?

    /// Completed or stopped: the output manifest is final.
    public var isFinished: Bool { status != .inProgress }

    init(row: SQLRow, counters: LabelCounters, failures: [Failure]) {
        name = row["name"]
        labelAttributeName = row["labelAttributeName"]
        datasetName = Self.datasetName(ofJob: row["name"])
        status = Status(rawValue: row["status"]) ?? .inProgress
        self.counters = counters
        maxHumanLabeledObjectCount = row["maxHumanLabeledObjectCount"]
        maxPercentageOfInputDatasetLabeled = row["maxPercentageOfInputDatasetLabeled"]
        createdAt = row["createdAt"]
        lastModifiedAt = row["lastModifiedAt"]
        self.failures = failures
        taskType = LabelingTaskType(rawValue: row["taskType"]) ?? .boundingBox
        reviewsLabelAttributeName = row["reviewsLabelAttributeName"]
        taskAvailabilityLifetimeInSeconds = row["taskAvailabilityLifetimeInSeconds"]
    }
}
