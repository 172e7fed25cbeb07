import GroundTruthFormat

/// What a labeling job is made from — the parts of `CreateLabelingJob` the label store acts on. The daemon keeps
/// the rest of the request (roles, work team, UI template, output path) and echoes it.
public struct LabelingJobRequest: Sendable, Equatable {
    /// `LabelingJobName`: `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`, unique.
    public var name: String
    /// `LabelAttributeName`: the key of the label in the output manifest; must not end with `-metadata` or `-ref`.
    public var labelAttributeName: String
    /// The input manifest's text: JSON Lines, each an object with a `source-ref`.
    public var inputManifest: String
    /// The classes, in class-id order (`LabelCategoryConfigS3Uri`'s file).
    public var categories: LabelCategoryConfig
    /// `StoppingConditions.MaxHumanLabeledObjectCount`: the job completes once this many images are labeled.
    public var maxHumanLabeledObjectCount: Int?
    /// `StoppingConditions.MaxPercentageOfInputDatasetLabeled`: the job completes at this share labeled (1–100).
    public var maxPercentageOfInputDatasetLabeled: Int?
    /// `.adjustment`, `.verification`: the input lines carry a previous job's boxes to pre-draw and adjust or verify.
    public var taskType: LabelingTaskType
    /// `HumanTaskConfig.TaskAvailabilityLifetimeInSeconds`: how long after creation tasks can be submitted.
    public var taskAvailabilityLifetimeInSeconds: Int?

    public init(
        name: String,
        labelAttributeName: String,
        inputManifest: String,
        categories: LabelCategoryConfig,
        maxHumanLabeledObjectCount: Int? = nil,
        maxPercentageOfInputDatasetLabeled: Int? = nil,
        taskType: LabelingTaskType = .boundingBox,
        taskAvailabilityLifetimeInSeconds: Int? = nil
    ) {
        self.taskType = taskType
        self.taskAvailabilityLifetimeInSeconds = taskAvailabilityLifetimeInSeconds
        self.name = name
        self.labelAttributeName = labelAttributeName
        self.inputManifest = inputManifest
        self.categories = categories
        self.maxHumanLabeledObjectCount = maxHumanLabeledObjectCount
        self.maxPercentageOfInputDatasetLabeled = maxPercentageOfInputDatasetLabeled
    }
}
