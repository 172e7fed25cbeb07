import Foundation

/// Adam, as MXNet 1.x's Python `Adam.update` plus its `adam_update` kernel (`AdamUpdateKernel`), in the
/// same order in `Float`:
///
///     t    = stepCount + 1
///     lr_t = lr · √(1 − β2ᵗ) / (1 − β1ᵗ)                    (Python, in double, then passed as float)
///     g    = grad·rescale_grad + w·wd
///     m    = β1·m + (1 − β1)·g
///     v    = β2·v + (1 − β2)·g·g
///     w    = w − lr_t·m / (√v + ε)
///
/// Defaults β1 0.9, β2 0.999, ε 1e-8 are MXNet's. Weight decay is added to the gradient (L2, not AdamW's
/// decoupled decay). The algorithm documents `weight_decay` as applying to sgd and rmsprop only, so
/// `ObjectDetectionHyperparameters.makeOptimizer()` builds Adam with `weightDecay` 0; the parameter is here
/// for completeness with MXNet.
public struct Adam: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let weightDecay: Double
    public let rescaleGradient: Double
    public let weightDecayScope: WeightDecayScope
    private var store = OptimizerSlotStore<Slots>()

    struct Slots: OptimizerSlots {
        static let names = ["mean", "var"]
        var mean: [Float]
        var variance: [Float]
        init(count: Int) {
            mean = [Float](repeating: 0, count: count)
            variance = [Float](repeating: 0, count: count)
        }
        init(arrays: [[Float]]) {
            mean = arrays[0]
            variance = arrays[1]
        }
        var arrays: [[Float]] { [mean, variance] }
    }

    public init(
        beta1: Double = 0.9,
        beta2: Double = 0.999,
        epsilon: Double = 1e-8,
        weightDecay: Double = 0,
        rescaleGradient: Double = 1,
        weightDecayScope: WeightDecayScope = .weightsAndGammas
    ) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.rescaleGradient = rescaleGradient
        self.weightDecayScope = weightDecayScope
    }

    public var stepCount: Int { store.stepCount }

    /// The bias-corrected learning rate of update number `t` (1-based), computed in double as MXNet's Python
    /// side does (`lr *= math.sqrt(coef2)/coef1`), then rounded to the kernel's float.
    public func correctedLearningRate(_ learningRate: Float, t: Int) -> Float {
        let coef1 = 1 - pow(beta1, Double(t))
        let coef2 = 1 - pow(beta2, Double(t))
        return Float(Double(learningRate) * (coef2.squareRoot() / coef1))
    }

    public mutating func step(_ parameters: [Parameter], learningRate: Float) {
        let lr = correctedLearningRate(learningRate, t: store.stepCount + 1)
        let beta1 = Float(self.beta1)
        let beta2 = Float(self.beta2)
        let oneMinusBeta1 = 1 - beta1  // `1.f - beta1` in the kernel: float arithmetic
        let oneMinusBeta2 = 1 - beta2
        let epsilon = Float(self.epsilon)
        let rescale = Float(rescaleGradient)
        for parameter in parameters where !parameter.isFrozen {
            let wd = Float(weightDecay * weightDecayScope.multiplier(for: parameter.name))
            let value = parameter.value
            let gradient = parameter.gradient
            var slots = store.take(parameter)
            slots.mean.withUnsafeMutableBufferPointer { mean in
                slots.variance.withUnsafeMutableBufferPointer { variance in
                    VectorLoop.forEachChunk(count: parameter.count) { i, lanes in
                        let w = VectorLoop.load(value, i, lanes)
                        let g = VectorLoop.load(gradient, i, lanes) * rescale + w * wd
                        let m = beta1 * VectorLoop.load(mean, i, lanes) + oneMinusBeta1 * g
                        let v = beta2 * VectorLoop.load(variance, i, lanes) + oneMinusBeta2 * g * g
                        VectorLoop.store(m, mean, i, lanes)
                        VectorLoop.store(v, variance, i, lanes)
                        VectorLoop.store(w - lr * m / (v.squareRoot() + epsilon), value, i, lanes)
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
