/// Stochastic gradient descent with momentum and weight decay, as MXNet 1.x's `sgd_mom_update`
/// (`SGDMomKernel` in `src/operator/optimizer_op-inl.h`), evaluated in the same order in `Float`:
///
///     mom = momentum·mom − (lr·wd)·w − (lr·rescale_grad)·grad
///     w   = w + mom
///
/// which is `g = rescale_grad·grad + wd·w; mom = momentum·mom − lr·g; w += mom` rearranged the way MXNet's
/// kernel writes it. `wd` is `weightDecay` times `weightDecayScope`'s multiplier (0 for biases and betas by
/// MXNet's default). MXNet switches to a stateless kernel when momentum is exactly 0; here the momentum
/// slot is always kept, which for momentum 0 gives the same update up to rounding (the algorithm's
/// `momentum` hyperparameter is in (0, 1], so that case never arises from a training job).
public struct SGD: Optimizer {
    /// MXNet's `momentum`; the hyperparameter of the same name.
    public let momentum: Double
    /// MXNet's `wd`; the `weight_decay` hyperparameter.
    public let weightDecay: Double
    /// MXNet's `rescale_grad`: the factor applied to every gradient (1 when the loss is already averaged).
    public let rescaleGradient: Double
    /// Which parameters are decayed.
    public let weightDecayScope: WeightDecayScope
    private var store = OptimizerSlotStore<Slots>()

    struct Slots: OptimizerSlots {
        static let names = ["momentum"]
        var momentum: [Float]
        init(count: Int) { momentum = [Float](repeating: 0, count: count) }
        init(arrays: [[Float]]) { momentum = arrays[0] }
        var arrays: [[Float]] { [momentum] }
    }

    public init(momentum: Double = 0.9, weightDecay: Double = 0, rescaleGradient: Double = 1, weightDecayScope: WeightDecayScope = .weightsAndGammas)
    {
        precondition(momentum >= 0 && weightDecay >= 0, "momentum and weight decay must be non-negative")
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.rescaleGradient = rescaleGradient
        self.weightDecayScope = weightDecayScope
    }

    public var stepCount: Int { store.stepCount }

    public mutating func step(_ parameters: [Parameter], learningRate: Float) {
        // MXNet passes lr, wd, momentum and rescale_grad to the kernel as float parameters.
        let momentum = Float(self.momentum)
        let lrRescale = learningRate * Float(rescaleGradient)
        for parameter in parameters where !parameter.isFrozen {
            let lrWd = learningRate * Float(weightDecay * weightDecayScope.multiplier(for: parameter.name))
            let value = parameter.value
            let gradient = parameter.gradient
            var slots = store.take(parameter)
            slots.momentum.withUnsafeMutableBufferPointer { mom in
                VectorLoop.forEachChunk(count: parameter.count) { i, lanes in
                    let w = VectorLoop.load(value, i, lanes)
                    let g = VectorLoop.load(gradient, i, lanes)
                    let m = momentum * VectorLoop.load(mom, i, lanes) - lrWd * w - lrRescale * g
                    VectorLoop.store(m, mom, i, lanes)
                    VectorLoop.store(w + m, value, i, lanes)
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
