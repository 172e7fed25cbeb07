/// A first-order optimizer over `Parameter`s, with MXNet 1.x's update rules (the built-in algorithm ran on
/// MXNet, so matching its formulas keeps hyperparameters such as `learning_rate` and `weight_decay` meaning
/// what they meant on SageMaker).
///
/// Optimizers are value types whose per-parameter state ("slots") lives in Swift arrays keyed by parameter
/// name, created as zeros the first time a parameter is stepped. The state can be saved and restored bit for
/// bit, so a resumed training run continues exactly as an uninterrupted one would.
public protocol Optimizer: Sendable {
    /// Updates performed so far (MXNet's `num_update`). Adam's bias correction uses `stepCount + 1` for the
    /// step in progress, as MXNet's `_index_update_count` is incremented before the update.
    var stepCount: Int { get }

    /// Applies one update to every parameter that is not frozen, using each `gradient` as it stands, then
    /// increments `stepCount`. Frozen parameters keep their value and get no state.
    mutating func step(_ parameters: [Parameter], learningRate: Float)

    /// Every slot as `"<parameter name>:<slot>"` → values, plus `OptimizerState.stepCountKey`.
    func state() -> [String: [Float]]

    /// Replaces the whole state with `state`, after checking it against `parameters`: every slot of every
    /// parameter that has state must be present and sized like the parameter, every non-frozen parameter must
    /// have state once any step was taken, and no key may name anything else. Throws `OptimizerStateError`
    /// and leaves the optimizer unchanged on any mismatch.
    mutating func load(state: [String: [Float]], for parameters: [Parameter]) throws
}

/// The shared layout of a saved optimizer state.
public enum OptimizerState {
    /// The key of the step counter. It holds `[Float(count & 0xFF_FFFF), Float(count >> 24)]`: both halves are
    /// integers below 2²⁴, which `Float` stores exactly, so counts up to 2⁴⁸ survive a `[Float]` round trip.
    public static let stepCountKey = "_step_count"

    /// The `[Float]` encoding of a step counter.
    public static func encode(stepCount: Int) -> [Float] {
        precondition(stepCount >= 0 && stepCount < 1 << 48, "step count \(stepCount) out of range")
        return [Float(stepCount & 0xFF_FFFF), Float(stepCount >> 24)]
    }

    /// The step counter encoded by `values`, or `nil` when `values` is not such an encoding.
    public static func decodeStepCount(_ values: [Float]) -> Int? {
        guard values.count == 2 else { return nil }
        let limit = Float(1 << 24)
        for value in values where !(value >= 0 && value < limit && value.rounded() == value) { return nil }
        return Int(values[0]) | Int(values[1]) << 24
    }
}
