/// Everything needed to resume training after an epoch and finish with the same weights as a run that was
/// never interrupted: weights (with batch norm statistics), optimizer state, early-stopping state and the best
/// model so far. Data order and augmentation derive from the seed and the epoch alone, so no RNG state is kept.
public struct TrainingCheckpoint: Sendable, Equatable {
    /// Epochs completed.
    public var completedEpochs: Int
    public var weights: [NamedTensor]
    public var optimizerState: [String: [Float]]
    public var earlyStopping: EarlyStopping
    /// The weights of the best epoch so far (by validation mAP).
    public var bestWeights: [NamedTensor]
    /// The moving average of the weights, for a recipe that keeps one.
    public var weightAverage: WeightAverage?

    public init(
        completedEpochs: Int,
        weights: [NamedTensor],
        optimizerState: [String: [Float]],
        earlyStopping: EarlyStopping,
        bestWeights: [NamedTensor],
        weightAverage: WeightAverage? = nil
    ) {
        self.completedEpochs = completedEpochs
        self.weights = weights
        self.optimizerState = optimizerState
        self.earlyStopping = earlyStopping
        self.bestWeights = bestWeights
        self.weightAverage = weightAverage
    }
}
