import Foundation

/// How long a rank spent in MPI's collectives against how long its steps took: the cost of training on several
/// instances. A training step ends with one gradient sum (`GradientReducer.sum(_:)` of buffers), so the time between
/// the ends of the first and the last is the steps' length; the sums of values are the batch-norm statistics and
/// losses inside each step. Times include waiting for the slowest rank to arrive.
public struct CollectiveTiming: Sendable {
    /// Gradient sums (one a step) and the seconds spent in them.
    public private(set) var steps = 0
    public private(set) var gradientSeconds = 0.0
    /// Seconds in the sums of values (batch-norm statistics, positive counts, losses).
    public internal(set) var valueSeconds = 0.0
    private var firstEnd: UInt64?
    private var lastEnd: UInt64 = 0

    mutating func gradientSum(from start: UInt64, to end: UInt64) {
        steps += 1
        gradientSeconds += Double(end - start) / 1e9
        firstEnd = firstEnd ?? end
        lastEnd = end
    }

    /// The mean step's seconds after the first (which builds every primitive), or `nil` before two steps.
    public var secondsPerStep: Double? {
        guard steps > 1, let firstEnd else { return nil }
        return Double(lastEnd - firstEnd) / 1e9 / Double(steps - 1)
    }

    /// `#collective_metric: host=algo-1, steps=5, seconds per step=1.234, allreduce seconds per step=0.056
    /// (gradients 0.050, batch-norm statistics and losses 0.006)`: Apiary's line, in the style of the algorithm's
    /// metric lines. Allreduce figures are means over every step, the first included.
    public func line(host: String) -> String {
        let perStep = { (seconds: Double) in steps > 0 ? seconds / Double(steps) : 0 }
        let format = { (value: Double) in String(format: "%.4f", value) }
        return "#collective_metric: host=\(host), steps=\(steps), seconds per step=\(secondsPerStep.map(format) ?? "n/a"), "
            + "allreduce seconds per step=\(format(perStep(gradientSeconds + valueSeconds))) "
            + "(gradients \(format(perStep(gradientSeconds))), batch-norm statistics and losses \(format(perStep(valueSeconds))))"
    }
}
