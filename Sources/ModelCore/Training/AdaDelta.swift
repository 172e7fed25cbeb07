/// AdaDelta (Zeiler 2012), as MXNet 1.x's Python `AdaDelta.update`, in the same order in `Float`:
///
///     g         = grad·rescale_grad
///     acc_g     = ρ·acc_g + (1 − ρ)·g·g
///     Δ         = √(acc_delta + ε) / √(acc_g + ε) · g
///     acc_delta = ρ·acc_delta + (1 − ρ)·Δ·Δ
///     w         = w − (Δ + wd·w)
///
/// MXNet 1.x's AdaDelta never reads the learning rate — AdaDelta's point is to need none — so `step`
/// ignores `learningRate` (and with it `learning_rate` and the LR schedule), exactly as the algorithm did.
/// Defaults ρ 0.9, ε 1e-5 are MXNet's. `(1 − ρ)` is formed in double and rounded once, as Python's
/// `(1. - self.rho)` was before the NDArray multiply. The algorithm applies `weight_decay` to sgd and
/// rmsprop only, so `ObjectDetectionHyperparameters.makeOptimizer()` builds AdaDelta with `weightDecay` 0.
public struct AdaDelta: Optimizer {
    public let rho: Double
    public let epsilon: Double
    public let weightDecay: Double
    public let rescaleGradient: Double
    public let weightDecayScope: WeightDecayScope
    private var store = OptimizerSlotStore<Slots>()

    struct Slots: OptimizerSlots {
        static let names = ["acc_g", "acc_delta"]
        var accumulatedGradient: [Float]
        var accumulatedDelta: [Float]
        init(count: Int) {
            accumulatedGradient = [Float](repeating: 0, count: count)
            accumulatedDelta = [Float](repeating: 0, count: count)
        }
        init(arrays: [[Float]]) {
            accumulatedGradient = arrays[0]
            accumulatedDelta = arrays[1]
        }
        var arrays: [[Float]] { [accumulatedGradient, accumulatedDelta] }
    }

    public init(
        rho: Double = 0.9,
        epsilon: Double = 1e-5,
        weightDecay: Double = 0,
        rescaleGradient: Double = 1,
        weightDecayScope: WeightDecayScope = .weightsAndGammas
    ) {
        self.rho = rho
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.rescaleGradient = rescaleGradient
        self.weightDecayScope = weightDecayScope
    }

    public var stepCount: Int { store.stepCount }

    /// `learningRate` is ignored (see the type's documentation).
    public mutating func step(_ parameters: [Parameter], learningRate: Float) {
        let rho = Float(self.rho)
        let oneMinusRho = Float(1 - self.rho)
        let epsilon = Float(self.epsilon)
        let rescale = Float(rescaleGradient)
        for parameter in parameters where !parameter.isFrozen {
            let wd = Float(weightDecay * weightDecayScope.multiplier(for: parameter.name))
            let value = parameter.value
            let gradient = parameter.gradient
            var slots = store.take(parameter)
            slots.accumulatedGradient.withUnsafeMutableBufferPointer { accG in
                slots.accumulatedDelta.withUnsafeMutableBufferPointer { accDelta in
                    VectorLoop.forEachChunk(count: parameter.count) { i, lanes in
                        let w = VectorLoop.load(value, i, lanes)
                        let g = VectorLoop.load(gradient, i, lanes) * rescale
                        let ag = rho * VectorLoop.load(accG, i, lanes) + oneMinusRho * g * g
                        let ad = VectorLoop.load(accDelta, i, lanes)
                        let delta = (ad + epsilon).squareRoot() / (ag + epsilon).squareRoot() * g
                        VectorLoop.store(ag, accG, i, lanes)
                        VectorLoop.store(rho * ad + oneMinusRho * delta * delta, accDelta, i, lanes)
                        VectorLoop.store(w - (delta + wd * w), value, i, lanes)
                    }
                }
            }
            store.put(slots, for: parameter.name)
        }
        store.stepCount += 1
    }

    public func state() -> [String: [Float]] { store.state() }

    public mutating func load(state: [String: [Float]], for parameters: [Parameter]) throws {
        try store.load(state, for: parameters)
    }
}
