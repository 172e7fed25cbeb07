/// How a job trains beyond what the hyperparameters name: the learning-rate schedule's shape, whether the
/// served model is a moving average of the weights, and the data augmentation.
///
/// `vgg-16` and `resnet-50` follow the built-in algorithm exactly (step schedule, the last or best raw weights).
/// `apiary-mobile` is Apiary's own network, trained from scratch in CPU-minutes, so it gets the recipe that
/// learns most per minute there (measured in docs/performance.md, "Detection quality per CPU-minute"):
/// warm-up and cosine decay when `lr_scheduler_step` is empty, an exponential moving average of the weights
/// (`WeightAverage`) for validation and the artifact, and extra positive anchors per box in the matching
/// (`TargetAssigner.ExtraPositives`). Fitted anchor sizes and the focal loss are options a recipe can turn on;
/// measured so far, neither paid (docs/performance.md), so no default uses them. The hyperparameters still mean what they say:
/// `learning_rate` is the peak rate, and a job that sets `lr_scheduler_step` gets its steps.
public struct TrainingRecipe: Sendable, Equatable {
    /// The learning rate of every update.
    public var schedule: LearningRateSchedule
    /// The largest decay of the weight average, or `nil` to validate and serve the raw weights.
    public var weightAverageDecay: Float?
    /// The training images' augmentation (SSD's for every network).
    public var augmentation: TrainingAugmentation
    /// The classification term: focal loss over every anchor, or (`nil`) cross-entropy with hard negative mining.
    public var focal: FocalLoss?
    /// Whether default-box sizes are fitted to the training boxes (`AnchorFitting`) instead of MXNet's.
    public var fitsAnchors: Bool
    /// More positive anchors per box than MXNet's matching gives (`TargetAssigner.ExtraPositives`), or `nil`.
    public var extraPositives: TargetAssigner.ExtraPositives?

    /// Creates a recipe.
    public init(
        schedule: LearningRateSchedule,
        weightAverageDecay: Float?,
        augmentation: TrainingAugmentation = .ssd,
        focal: FocalLoss? = nil,
        fitsAnchors: Bool = false,
        extraPositives: TargetAssigner.ExtraPositives? = nil
    ) {
        self.schedule = schedule
        self.weightAverageDecay = weightAverageDecay
        self.augmentation = augmentation
        self.focal = focal
        self.fitsAnchors = fitsAnchors
        self.extraPositives = extraPositives
    }

    /// The built-in algorithm's own training: the step schedule, the raw weights, SSD's augmentation.
    public static func builtIn(_ hyperparameters: ObjectDetectionHyperparameters) -> TrainingRecipe {
        TrainingRecipe(schedule: hyperparameters.learningRateSchedule, weightAverageDecay: nil)
    }

    /// The recipe of a job with these hyperparameters.
    public init(_ hyperparameters: ObjectDetectionHyperparameters) {
        let hp = hyperparameters
        guard hp.baseNetwork == .apiaryMobile else {
            self = .builtIn(hp)
            return
        }
        self.init(
            schedule: hp.lrSchedulerStep.isEmpty
                ? .warmupCosine(baseLearningRate: hp.learningRate, epochs: hp.epochs) : hp.learningRateSchedule,
            weightAverageDecay: Self.apiaryMobileWeightAverageDecay,
            extraPositives: Self.apiaryMobileExtraPositives
        )
    }

    /// `apiary-mobile`'s weight-average decay; with `WeightAverage`'s warm-up its horizon grows with the job
    /// (≈ 65 updates after 600, ≈ 110 after 1,000) up to 1,000 updates.
    public static let apiaryMobileWeightAverageDecay: Float = 0.999

    /// `apiary-mobile`'s extra positives: up to 3 more anchors per box from IoU 0.3 (chosen before measuring; it
    /// led or tied at every epoch on two course-style probes and on the demo's images, docs/performance.md).
    public static let apiaryMobileExtraPositives = TargetAssigner.ExtraPositives(count: 3, minimumIoU: 0.3)
}
