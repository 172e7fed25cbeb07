import Foundation

/// The algorithm's step schedule: start at `learning_rate` and multiply by `lr_scheduler_factor` at each
/// epoch listed in `lr_scheduler_step`.
///
/// **Epoch numbering.** Epochs are 0-based, as in the training log (`Epoch:    0`, `epoch=0`). Epoch `e`
/// trains with `base · factor^k`, where `k` counts the listed steps `s` with `s ≤ e`. So `"10, 20"` trains
/// epochs 0–9 at the base rate, 10–19 at `base·factor` and 20 onwards at `base·factor²`: the rate drops
/// after `s` complete epochs.
///
/// **Mapping to MXNet.** The MXNet SSD lineage turned each step into an update count for
/// `mx.lr_scheduler.MultiFactorScheduler`: `step = s · ⌊num_training_samples / mini_batch_size⌋`, and the
/// scheduler lowers the rate for updates numbered above `step` (updates count from 1). When
/// `num_training_samples` is the true count and divides by the batch size, update `s·E + 1` is the first
/// batch of 0-based epoch `s`, which is this schedule exactly. Otherwise MXNet's drop landed a few batches
/// away from the epoch boundary — what the documentation calls undefined behaviour for a mismatched
/// `num_training_samples`. This schedule works in epochs, so it never depends on that count. As in the
/// lineage (`begin_epoch >= s`), a step of 0 means the rate is already lowered at the first epoch.
///
/// **Warm-up and cosine decay** (`apiary-mobile` without `lr_scheduler_step`; see `warmupCosine`). Over the
/// `T = epochs · B` updates of a job with `B` batches per epoch, update `t` (0-based) trains with
///
///     t <  W:  base · (t + 1) / W                                           W = min(B, T / 4), at least 1
///     t >= W:  base · (f + (1 − f) · ½ · (1 + cos(π · (t − W) / (T − W))))   f = `finalFraction`
///
/// A network trained from scratch with Adam takes large, noisy first steps while batch norm statistics settle;
/// the linear warm-up over the first epoch avoids them, and the cosine tail ends the job at a small rate, where
/// the weights (and their moving average) settle, instead of stopping mid-stride at the base rate.
public struct LearningRateSchedule: Sendable, Equatable {
    /// The schedule's shape.
    public enum Shape: Sendable, Equatable {
        /// `base · factor^k` after `k` of the listed 0-based epochs: the algorithm's own schedule.
        case steps
        /// Linear warm-up over the first epoch, then cosine decay to `finalFraction · base` at the last update
        /// of epoch `epochs − 1`.
        case warmupCosine(epochs: Int, finalFraction: Double)
    }

    /// `learning_rate`.
    public let baseLearningRate: Double
    /// `lr_scheduler_step`: strictly increasing, non-negative 0-based epochs.
    public let stepEpochs: [Int]
    /// `lr_scheduler_factor`.
    public let factor: Double
    /// Steps, or warm-up and cosine decay.
    public let shape: Shape

    public init(baseLearningRate: Double, stepEpochs: [Int] = [], factor: Double = 0.1) {
        precondition(zip(stepEpochs, stepEpochs.dropFirst()).allSatisfy { $0 < $1 }, "steps must increase strictly")
        precondition(stepEpochs.allSatisfy { $0 >= 0 }, "steps must be non-negative")
        self.baseLearningRate = baseLearningRate
        self.stepEpochs = stepEpochs
        self.factor = factor
        shape = .steps
    }

    /// Warm-up over the first epoch, then cosine decay over `epochs` epochs to `finalFraction · baseLearningRate`.
    public static func warmupCosine(baseLearningRate: Double, epochs: Int, finalFraction: Double = 0.05) -> LearningRateSchedule {
        precondition(epochs > 0 && finalFraction >= 0 && finalFraction <= 1, "invalid cosine schedule")
        return LearningRateSchedule(baseLearningRate: baseLearningRate, shape: .warmupCosine(epochs: epochs, finalFraction: finalFraction))
    }

    private init(baseLearningRate: Double, shape: Shape) {
        self.baseLearningRate = baseLearningRate
        stepEpochs = []
        factor = 1
        self.shape = shape
    }

    /// A schedule from the hyperparameter strings' parsed values, with `lr_scheduler_step` as given, e.g.
    /// `"10, 20"`, `"33,67"` or `""`. Throws `HyperparameterError` for a malformed list.
    public init(baseLearningRate: Double, steps: String, factor: Double) throws {
        self.init(baseLearningRate: baseLearningRate, stepEpochs: try Self.parseSteps(steps), factor: factor)
    }

    /// Parses `lr_scheduler_step`: comma-separated non-negative integers, strictly increasing (MXNet's
    /// `MultiFactorScheduler` asserts increasing steps), spaces around items allowed. Empty items are skipped,
    /// as the lineage's `[int(r) for r in s.split(',') if r.strip()]` did, so `""` means no steps.
    public static func parseSteps(_ text: String) throws -> [Int] {
        let invalid = HyperparameterError.invalidValue(
            name: "lr_scheduler_step",
            value: text,
            expected: "a comma-separated list of strictly increasing non-negative integers (epochs), or an empty string"
        )
        var steps: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let step = HyperparameterParsing.integer(trimmed), step >= 0 else { throw invalid }
            if let last = steps.last, step <= last { throw invalid }
            steps.append(step)
        }
        return steps
    }

    /// The learning rate of batch `batch` (0-based) of 0-based `epoch`, an epoch having `batchesPerEpoch`
    /// batches. Steps: the base rate multiplied by `factor` once per step already reached, repeatedly in double
    /// as `MultiFactorScheduler` does (`base_lr *= factor`), then rounded to the optimizers' `Float`.
    public func learningRate(epoch: Int, batch: Int = 0, batchesPerEpoch: Int = 1) -> Float {
        switch shape {
        case .steps:
            var rate = baseLearningRate
            for step in stepEpochs where step <= epoch { rate *= factor }
            return Float(rate)
        case .warmupCosine(let epochs, let finalFraction):
            let total = max(1, epochs * batchesPerEpoch)
            let warmup = max(1, min(batchesPerEpoch, total / 4))
            let t = min(epoch * batchesPerEpoch + batch, total - 1)
            if t < warmup { return Float(baseLearningRate * Double(t + 1) / Double(warmup)) }
            let progress = total > warmup + 1 ? Double(t - warmup) / Double(total - 1 - warmup) : 1
            return Float(baseLearningRate * (finalFraction + (1 - finalFraction) * 0.5 * (1 + cos(Double.pi * progress))))
        }
    }

    /// Whether the rate at `epoch` differs from the rate at `epoch − 1`, for logging the change (steps only;
    /// a cosine schedule changes at every batch).
    public func changesLearningRate(atEpoch epoch: Int) -> Bool {
        epoch > 0 && stepEpochs.contains(epoch)
    }
}
