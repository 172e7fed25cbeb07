/// The algorithm's early-stopping rule and best-model tracking, fed one validation mAP per epoch.
///
/// **Best model.** The epoch with the highest validation mAP so far is the one checkpointed ("Updating the
/// best model with validation-mAP=…"). The first epoch is always the best so far — even at mAP 0 — so a job
/// always saves a model; later epochs replace it only with a strictly higher mAP (ties keep the earlier
/// epoch). A NaN mAP is never best.
///
/// **Stopping.** With `early_stopping` on, an epoch counts as "no improvement" when
/// `(mAP − best) / best < early_stopping_tolerance`, `best` being the best mAP *before* this epoch (the
/// documented rule). Any other epoch resets the count. Training stops after an epoch when at least
/// `early_stopping_min_epochs` epochs have completed and the last `early_stopping_patience` epochs were all
/// "no improvement". Epochs before the minimum do count towards patience: the minimum only gates when the
/// rule may fire, as the documentation puts it ("before the early stopping logic can be invoked").
///
/// **Zero best.** When `best` is 0 the ratio is defined without dividing: +∞ if the mAP rose, 0 if it stayed
/// 0. So a model stuck at mAP 0 counts as "no improvement" only with a positive tolerance — the same as any
/// exact plateau, since with the default tolerance 0.0 only a strict decrease is "no improvement".
public struct EarlyStopping: Sendable, Equatable, Codable {
    /// `early_stopping`. When off, the best model is still tracked but `shouldStop` is never true.
    public let isEnabled: Bool
    /// `early_stopping_min_epochs`.
    public let minimumEpochs: Int
    /// `early_stopping_patience`.
    public let patience: Int
    /// `early_stopping_tolerance`.
    public let tolerance: Double

    /// The highest validation mAP so far, `nil` before the first epoch.
    public private(set) var bestMAP: Double?
    /// The 0-based epoch that scored `bestMAP`.
    public private(set) var bestEpoch: Int?
    /// Consecutive epochs, up to the last one, that counted as "no improvement".
    public private(set) var epochsWithoutImprovement = 0
    /// Epochs recorded so far.
    public private(set) var completedEpochs = 0

    /// What one epoch's mAP meant.
    public struct Outcome: Sendable, Equatable {
        /// This epoch is the new best: checkpoint it.
        public var isNewBest: Bool
        /// `(mAP − previous best) / previous best` (see the type's note on a zero best); `nil` for the first
        /// epoch.
        public var relativeImprovement: Double?
        /// Stop training after this epoch.
        public var shouldStop: Bool
    }

    public init(isEnabled: Bool, minimumEpochs: Int = 10, patience: Int = 5, tolerance: Double = 0) {
        precondition(minimumEpochs >= 0 && patience >= 0 && tolerance >= 0, "early stopping settings must be non-negative")
        self.isEnabled = isEnabled
        self.minimumEpochs = minimumEpochs
        self.patience = patience
        self.tolerance = tolerance
    }

    /// Records the validation mAP of the next epoch (0-based `completedEpochs` before the call).
    public mutating func record(validationMAP mAP: Double) -> Outcome {
        let epoch = completedEpochs
        completedEpochs += 1
        guard let best = bestMAP else {
            if !mAP.isNaN {
                bestMAP = mAP
                bestEpoch = epoch
            }
            return Outcome(isNewBest: !mAP.isNaN, relativeImprovement: nil, shouldStop: false)
        }
        let relative = Self.relativeImprovement(from: best, to: mAP)
        let isNewBest = mAP > best
        if isNewBest {
            bestMAP = mAP
            bestEpoch = epoch
        }
        epochsWithoutImprovement = relative < tolerance ? epochsWithoutImprovement + 1 : 0
        let shouldStop = isEnabled && completedEpochs >= minimumEpochs && epochsWithoutImprovement >= patience
        return Outcome(isNewBest: isNewBest, relativeImprovement: relative, shouldStop: shouldStop)
    }

    /// `(new − best) / best`, with a zero (or negative) `best` handled without dividing and NaN as −∞.
    public static func relativeImprovement(from best: Double, to new: Double) -> Double {
        if new.isNaN || best.isNaN { return -.infinity }
        if best > 0 { return (new - best) / best }
        if new == best { return 0 }
        return new > best ? .infinity : -.infinity
    }
}
