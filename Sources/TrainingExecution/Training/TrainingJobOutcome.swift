import ObjectStore

/// How a training run ended, for `DescribeTrainingJob`.
public struct TrainingJobOutcome: Sendable, Equatable {
    /// The terminal state.
    public enum Ending: Sendable, Equatable {
        /// `Completed`: the model artifact is in place.
        case completed
        /// `Stopped` by the stop hook; the best model so far was uploaded if an epoch had completed.
        case stopped(TrainingStopReason)
        /// `Failed`, with `FailureReason` (`ClientError: …` or `AlgorithmError: …`, at most 1,024 characters).
        case failed(failureReason: String)
    }

    public var ending: Ending
    /// The metrics of the last completed epoch (`FinalMetricDataList`); empty before the first one.
    public var finalMetrics: [TrainingMetric]
    /// Where the model was written (`ModelArtifacts.S3ModelArtifacts`); nil when none was.
    public var modelArtifacts: S3URI?
    /// Epochs completed, counting those before a resume.
    public var completedEpochs: Int

    /// The `FailureReason` of a failed run.
    public var failureReason: String? {
        if case .failed(let reason) = ending { reason } else { nil }
    }
}
