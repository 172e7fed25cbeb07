/// An exponential moving average of a network's state tensors (weights and batch norm statistics), the model
/// that validation scores and the artifact serves — as YOLO's `ModelEMA` and TensorFlow's
/// `ExponentialMovingAverage(num_updates:)`.
///
/// Short CPU runs take a few hundred updates with Adam at a constant rate: the raw weights jump from batch to
/// batch, and so does their validation mAP. The average of the last few hundred updates is both better and
/// steadier, at the cost of one multiply-add per weight per update.
///
/// After update `n` (1-based):
///
///     d_n = min(decay, (1 + n) / (10 + n))
///     ema = d_n · ema + (1 − d_n) · w                 (every state tensor, element by element)
///
/// The warm-up term `(1 + n) / (10 + n)` lets the average follow the fast early changes of a network trained
/// from scratch instead of remembering its random initialisation; `decay` then bounds its horizon
/// (≈ `1 / (1 − decay)` updates).
public struct WeightAverage: Sendable, Equatable {
    /// The largest decay, reached after about `10 / (1 − decay)` updates.
    public let decay: Float
    /// Updates averaged so far (`n`).
    public private(set) var updates: Int
    /// The average, one tensor per state tensor, in the network's `stateTensors` order.
    public private(set) var tensors: [NamedTensor]

    /// Starts an average at the network's current state.
    /// - Parameters:
    ///   - state: the network's state tensors (`SSDNetwork.stateTensors`).
    ///   - decay: the largest decay, in (0, 1).
    public init(state: [Parameter], decay: Float) {
        precondition(decay > 0 && decay < 1, "decay must be in (0, 1)")
        self.decay = decay
        updates = 0
        tensors = state.map(NamedTensor.init)
    }

    /// Restores a saved average (from a checkpoint).
    public init(decay: Float, updates: Int, tensors: [NamedTensor]) {
        precondition(decay > 0 && decay < 1 && updates >= 0, "invalid average")
        self.decay = decay
        self.updates = updates
        self.tensors = tensors
    }

    /// The decay of update `n` (1-based).
    public func decay(atUpdate n: Int) -> Float {
        min(decay, Float(1 + n) / Float(10 + n))
    }

    /// Folds the network's state after one more optimizer update into the average.
    public mutating func update(from state: [Parameter]) {
        precondition(state.count == tensors.count, "the average has \(tensors.count) tensors, the network \(state.count)")
        updates += 1
        let d = decay(atUpdate: updates)
        let complement = 1 - d
        for (index, parameter) in state.enumerated() {
            precondition(parameter.count == tensors[index].values.count, "\(parameter.name): size changed")
            let source = parameter.value
            let keep = SIMD8<Float>(repeating: d)
            let take = SIMD8<Float>(repeating: complement)
            tensors[index].values.withUnsafeMutableBufferPointer { average in
                VectorLoop.forEachChunk(count: average.count) { i, lanes in
                    let mixed = keep * VectorLoop.load(average, i, lanes) + take * VectorLoop.load(source, i, lanes)
                    VectorLoop.store(mixed, average, i, lanes)
                }
            }
        }
    }
}
