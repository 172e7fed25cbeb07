/// The training objects the hyperparameters configure, with the algorithm's documented scoping: `momentum`
/// for sgd only, `weight_decay` for sgd and rmsprop only, everything else at MXNet's defaults.
extension ObjectDetectionHyperparameters {
    /// The optimizer named by `optimizer`. `rescaleGradient` is MXNet's `rescale_grad` (1 when the loss is
    /// already averaged over the batch).
    public func makeOptimizer(rescaleGradient: Double = 1) -> any Optimizer {
        switch optimizer {
        case .sgd: SGD(momentum: momentum, weightDecay: weightDecay, rescaleGradient: rescaleGradient)
        case .adam: Adam(rescaleGradient: rescaleGradient)
        case .rmsprop: RMSProp(weightDecay: weightDecay, rescaleGradient: rescaleGradient)
        case .adadelta: AdaDelta(rescaleGradient: rescaleGradient)
        }
    }

    /// `learning_rate`, `lr_scheduler_step` and `lr_scheduler_factor` as a schedule.
    public var learningRateSchedule: LearningRateSchedule {
        LearningRateSchedule(baseLearningRate: learningRate, stepEpochs: lrSchedulerStep, factor: lrSchedulerFactor)
    }

    /// A fresh early-stopping monitor with the `early_stopping*` settings.
    public func makeEarlyStopping() -> EarlyStopping {
        EarlyStopping(
            isEnabled: earlyStopping,
            minimumEpochs: earlyStoppingMinEpochs,
            patience: earlyStoppingPatience,
            tolerance: earlyStoppingTolerance
        )
    }
}
