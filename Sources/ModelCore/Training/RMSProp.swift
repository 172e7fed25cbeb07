/// RMSProp, MXNet 1.x's non-centred variant (Tieleman & Hinton; `rmsprop_update`, `RMSPropUpdateKernel`),
/// in the same order in `Float`:
///
///     g = rescale_grad·grad + wd·w
///     n = (1 − γ1)·(g·g) + γ1·n
///     w = w − lr·(g / √(n + ε))
///
/// Note ε sits *inside* the square root, unlike Adam. Defaults γ1 0.9, ε 1e-8 are MXNet's. The algorithm
/// applies `weight_decay` to sgd and rmsprop, so this optimizer gets it from the hyperparameters.
public struct RMSProp: Optimizer {
    public let gamma1: Double
    public let epsilon: Double
    public let weightDecay: Double
    public let rescaleGradient: Double
    public let weightDecayScope: WeightDecayScope
    private var store = OptimizerSlotStore<Slots>()

    struct Slots: OptimizerSlots {
        static let names = ["n"]
        var n: [Float]
        init(count: Int) { n = [Float](repeating: 0, count: count) }
        init(arrays: [[Float]]) { n = arrays[0] }
        var arrays: [[Float]] { [n] }
    }

    public init(
        gamma1: Double = 0.9,
        epsilon: Double = 1e-8,
        weightDecay: Double = 0,
        rescaleGradient: Double = 1,
        weightDecayScope: WeightDecayScope = .weightsAndGammas
    ) {
        self.gamma1 = gamma1
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.rescaleGradient = rescaleGradient
        self.weightDecayScope = weightDecayScope
    }

    public var stepCount: Int { store.stepCount }

    public mutating func step(_ parameters: [Parameter], learningRate: Float) {
        let gamma1 = Float(self.gamma1)
        let oneMinusGamma1 = 1 - gamma1  // `1.f - gamma1` in the kernel: float arithmetic
        let epsilon = Float(self.epsilon)
        let rescale = Float(rescaleGradient)
        for parameter in parameters where !parameter.isFrozen {
            let wd = Float(weightDecay * weightDecayScope.multiplier(for: parameter.name))
            let value = parameter.value
            let gradient = parameter.gradient
            var slots = store.take(parameter)
            slots.n.withUnsafeMutableBufferPointer { state in
                VectorLoop.forEachChunk(count: parameter.count) { i, lanes in
                    let w = VectorLoop.load(value, i, lanes)
                    let g = rescale * VectorLoop.load(gradient, i, lanes) + wd * w
                    let n = oneMinusGamma1 * (g * g) + gamma1 * VectorLoop.load(state, i, lanes)
                    VectorLoop.store(n, state, i, lanes)
                    VectorLoop.store(w - learningRate * (g / (n + epsilon).squareRoot()), value, i, lanes)
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
