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
public struct LearningRateSchedule: Sendable, Equatable {
    /// `learning_rate`.
    public let baseLearningRate: Double
    /// `lr_scheduler_step`: strictly increasing, non-negative 0-based epochs.
    public let stepEpochs: [Int]
    /// `lr_scheduler_factor`.
    public let factor: Double

    public init(baseLearningRate: Double, stepEpochs: [Int] = [], factor: Double = 0.1) {
        precondition(zip(stepEpochs, stepEpochs.dropFirst()).allSatisfy { $0 < $1 }, "steps must increase strictly")
        precondition(stepEpochs.allSatisfy { $0 >= 0 }, "steps must be non-negative")
        self.baseLearningRate = baseLearningRate
        self.stepEpochs = stepEpochs
        self.factor = factor
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

    /// The learning rate for 0-based `epoch`: the base rate multiplied by `factor` once per step already
    /// reached, repeatedly in double as `MultiFactorScheduler` does (`base_lr *= factor`), then rounded to
    /// the optimizers' `Float`.
    public func learningRate(epoch: Int) -> Float {
        var rate = baseLearningRate
        for step in stepEpochs where step <= epoch { rate *= factor }
        return Float(rate)
    }

    /// Whether the rate at `epoch` differs from the rate at `epoch − 1`, for logging the change.
    public func changesLearningRate(atEpoch epoch: Int) -> Bool {
        epoch > 0 && stepEpochs.contains(epoch)
    }
}
