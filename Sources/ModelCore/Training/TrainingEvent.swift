/// What the training loop reports while it runs. Callbacks receive events between batches; a callback stops
/// training cleanly by throwing `TrainingStop` (for `StopTrainingJob` or `MaxRuntimeInSeconds`).
public enum TrainingEvent: Sendable {
    /// A line of the algorithm's log, without timestamp (see `AlgorithmLog.line(_:)`).
    case log(String)
    /// A batch finished: running averages of the two loss terms over the epoch so far.
    case batchEnd(epoch: Int, batch: Int, batchesPerEpoch: Int, smoothL1: Double, crossEntropy: Double)
    /// An epoch finished and was evaluated; `checkpoint` resumes training after it.
    case epochEnd(EpochSummary, checkpoint: TrainingCheckpoint)
}

/// An epoch's figures: the metrics SageMaker reports for the algorithm.
public struct EpochSummary: Sendable, Equatable {
    public var epoch: Int
    public var smoothL1: Double
    public var crossEntropy: Double
    public var validationMAP: Double
    /// Training images per second over the epoch.
    public var throughput: Double
    public var learningRate: Float
    /// Whether this epoch's model is the best so far (and so the one saved).
    public var isBest: Bool
}

/// Thrown by a callback to end training between batches; `fit` then returns what it has (no error).
public struct TrainingStop: Error, Sendable, Equatable {
    public init() {}
}
