import Foundation
import ModelCore
import Testing

/// The four optimizers as test arguments.
enum OptimizerCase: String, CaseIterable, Sendable, CustomStringConvertible {
    case sgd, adam, rmsprop, adadelta

    var description: String { rawValue }

    /// Settings chosen so every term of every formula shows: weight decay, a non-unit gradient rescale.
    func make() -> any Optimizer {
        switch self {
        case .sgd: SGD(momentum: 0.9, weightDecay: 0.125, rescaleGradient: 0.5)
        case .adam: Adam(weightDecay: 0.125, rescaleGradient: 0.5)
        case .rmsprop: RMSProp(weightDecay: 0.125, rescaleGradient: 0.5)
        case .adadelta: AdaDelta(weightDecay: 0.125, rescaleGradient: 0.5)
        }
    }

    /// One step of the MXNet formula in double, for one parameter: `slots` are the optimizer's state arrays
    /// (zeros before the first step), `t` the 1-based update number.
    func referenceStep(w: inout [Double], slots: inout [[Double]], grad: [Double], lr: Double, wd: Double, t: Int) {
        let rescale = 0.5
        for i in w.indices {
            switch self {
            case .sgd:
                let g = rescale * grad[i] + wd * w[i]
                slots[0][i] = 0.9 * slots[0][i] - lr * g
                w[i] += slots[0][i]
            case .adam:
                let g = rescale * grad[i] + wd * w[i]
                slots[0][i] = 0.9 * slots[0][i] + 0.1 * g
                slots[1][i] = 0.999 * slots[1][i] + 0.001 * g * g
                let lrT = lr * (1 - pow(0.999, Double(t))).squareRoot() / (1 - pow(0.9, Double(t)))
                w[i] -= lrT * slots[0][i] / (slots[1][i].squareRoot() + 1e-8)
            case .rmsprop:
                let g = rescale * grad[i] + wd * w[i]
                slots[0][i] = 0.1 * g * g + 0.9 * slots[0][i]
                w[i] -= lr * g / (slots[0][i] + 1e-8).squareRoot()
            case .adadelta:
                let g = rescale * grad[i]
                slots[0][i] = 0.9 * slots[0][i] + 0.1 * g * g
                let delta = (slots[1][i] + 1e-5).squareRoot() / (slots[0][i] + 1e-5).squareRoot() * g
                slots[1][i] = 0.9 * slots[1][i] + 0.1 * delta * delta
                w[i] -= delta + wd * w[i]
            }
        }
    }

    var slotNames: [String] {
        switch self {
        case .sgd: ["momentum"]
        case .adam: ["mean", "var"]
        case .rmsprop: ["n"]
        case .adadelta: ["acc_g", "acc_delta"]
        }
    }
}

/// Deterministic gradients: a different pattern per step and parameter.
func fillGradients(_ parameters: [Parameter], step: Int) {
    for (index, parameter) in parameters.enumerated() {
        var rng = TestRandom(seed: UInt64(1000 * step + index + 1))
        _ = parameter.gradient.update(fromContentsOf: rng.uniform(parameter.count).map { $0 * 2 })
    }
}

func makeParameters(_ counts: [(String, Int)], seed: UInt64) -> [Parameter] {
    var rng = TestRandom(seed: seed)
    return counts.map { name, count in
        let parameter = Parameter(name: name, dims: [count])
        parameter.assign(rng.uniform(count))
        return parameter
    }
}

@Suite("Optimizers: MXNet update rules, frozen parameters, checkpointable state")
struct OptimizerTests {
    /// Two steps on an 11-element weight (one SIMD chunk plus a 3-lane tail) and a 2-element bias, against
    /// the formula evaluated in double. MXNet decays weights only, so the bias reference uses wd = 0.
    /// Float vs double over two steps: 1e-6 absolute + 1e-5 relative.
    @Test("two steps match the MXNet formula computed in double", arguments: OptimizerCase.allCases)
    func twoSteps(_ kind: OptimizerCase) throws {
        let parameters = makeParameters([("conv1.weight", 11), ("conv1.bias", 2)], seed: 7)
        var optimizer = kind.make()
        let lr: Float = 0.0625
        var weights = parameters.map { Array($0.value).map(Double.init) }
        var slots = parameters.map { p in kind.slotNames.map { _ in [Double](repeating: 0, count: p.count) } }
        for t in 1...2 {
            fillGradients(parameters, step: t)
            for (index, parameter) in parameters.enumerated() {
                kind.referenceStep(
                    w: &weights[index],
                    slots: &slots[index],
                    grad: Array(parameter.gradient).map(Double.init),
                    lr: Double(lr),
                    wd: index == 0 ? 0.125 : 0,
                    t: t
                )
            }
            optimizer.step(parameters, learningRate: lr)
        }
        #expect(optimizer.stepCount == 2)
        let state = optimizer.state()
        for (index, parameter) in parameters.enumerated() {
            expectClose(Array(parameter.value), weights[index].map(Float.init), atol: 1e-6, rtol: 1e-5, "\(kind) \(parameter.name)")
            for (slot, values) in zip(kind.slotNames, slots[index]) {
                let saved = try #require(state["\(parameter.name):\(slot)"])
                expectClose(saved, values.map(Float.init), atol: 1e-6, rtol: 1e-5, "\(kind) \(parameter.name):\(slot)")
            }
        }
    }

    @Test("frozen parameters keep their value and get no state", arguments: OptimizerCase.allCases)
    func frozen(_ kind: OptimizerCase) {
        let parameters = makeParameters([("backbone.weight", 9), ("head.weight", 9)], seed: 3)
        parameters[0].isFrozen = true
        let before = parameters.map { Array($0.value) }
        var optimizer = kind.make()
        for t in 1...3 {
            fillGradients(parameters, step: t)
            optimizer.step(parameters, learningRate: 0.01)
        }
        #expect(Array(parameters[0].value) == before[0])
        #expect(Array(parameters[1].value) != before[1])
        #expect(optimizer.state().keys.allSatisfy { !$0.hasPrefix("backbone.") })
    }

    /// 3 steps, save, 2 more — versus a fresh optimizer loaded with the saved state (and the saved values)
    /// doing the same 2 steps: values and state must agree bit for bit.
    @Test("saved state continues bit-identically", arguments: OptimizerCase.allCases)
    func stateRoundTrip(_ kind: OptimizerCase) throws {
        let layout = [("conv1.weight", 37), ("conv1.bias", 5), ("bn.gamma", 8)]
        let parameters = makeParameters(layout, seed: 11)
        var optimizer = kind.make()
        for t in 1...3 {
            fillGradients(parameters, step: t)
            optimizer.step(parameters, learningRate: 0.01)
        }
        let saved = optimizer.state()
        let savedValues = parameters.map { Array($0.value) }
        for t in 4...5 {
            fillGradients(parameters, step: t)
            optimizer.step(parameters, learningRate: 0.005)
        }

        let resumedParameters = makeParameters(layout, seed: 99)
        for (parameter, values) in zip(resumedParameters, savedValues) { parameter.assign(values) }
        var resumed = kind.make()
        try resumed.load(state: saved, for: resumedParameters)
        #expect(resumed.stepCount == 3)
        for t in 4...5 {
            fillGradients(resumedParameters, step: t)
            resumed.step(resumedParameters, learningRate: 0.005)
        }
        for (a, b) in zip(parameters, resumedParameters) {
            #expect(Array(a.value).map(\.bitPattern) == Array(b.value).map(\.bitPattern), "\(kind) \(a.name)")
        }
        #expect(resumed.state().mapValues { $0.map(\.bitPattern) } == optimizer.state().mapValues { $0.map(\.bitPattern) })
    }

    @Test("load rejects missing, mis-sized and foreign entries and leaves the state unchanged", arguments: OptimizerCase.allCases)
    func loadFailures(_ kind: OptimizerCase) {
        let parameters = makeParameters([("conv1.weight", 10), ("conv1.bias", 3)], seed: 5)
        var optimizer = kind.make()
        fillGradients(parameters, step: 1)
        optimizer.step(parameters, learningRate: 0.01)
        let good = optimizer.state()
        let slot = kind.slotNames[0]

        var missing = good
        missing["conv1.bias:\(slot)"] = nil
        var misSized = good
        misSized["conv1.weight:\(slot)"] = [1, 2, 3]
        var foreign = good
        foreign["conv9.weight:\(slot)"] = [Float](repeating: 0, count: 10)
        var wrongSlot = good
        wrongSlot["conv1.weight:velocity"] = [Float](repeating: 0, count: 10)
        var noCounter = good
        noCounter[OptimizerState.stepCountKey] = nil
        var badCounter = good
        badCounter[OptimizerState.stepCountKey] = [0.5, 0]

        let cases: [([String: [Float]], OptimizerStateError)] = [
            (missing, .missingEntry("conv1.bias:\(slot)")),
            (misSized, .sizeMismatch(key: "conv1.weight:\(slot)", expected: 10, actual: 3)),
            (foreign, .unexpectedEntry("conv9.weight:\(slot)")),
            (wrongSlot, .unexpectedEntry("conv1.weight:velocity")),
            (noCounter, .missingEntry(OptimizerState.stepCountKey)),
            (badCounter, .invalidStepCount([0.5, 0])),
        ]
        for (state, expected) in cases {
            var target = kind.make()
            try? target.load(state: good, for: parameters)
            #expect(throws: expected) { try target.load(state: state, for: parameters) }
            #expect(target.state() == good, "a failed load must not change the state")
        }
    }

    @Test("another optimizer's state is rejected")
    func crossOptimizer() {
        let parameters = makeParameters([("conv1.weight", 4)], seed: 1)
        var sgd = SGD()
        fillGradients(parameters, step: 1)
        sgd.step(parameters, learningRate: 0.1)
        var adam = Adam()
        #expect(throws: OptimizerStateError.self) { try adam.load(state: sgd.state(), for: parameters) }
    }

    @Test("step counter survives the [Float] encoding beyond 2^24")
    func stepCounterEncoding() {
        for count in [0, 1, 16_777_215, 16_777_216, 40_000, (1 << 40) + 12_345] {
            #expect(OptimizerState.decodeStepCount(OptimizerState.encode(stepCount: count)) == count)
        }
        #expect(OptimizerState.decodeStepCount([1]) == nil)
        #expect(OptimizerState.decodeStepCount([-1, 0]) == nil)
    }

    @Test("weight decay scope follows MXNet's _weight/_gamma rule")
    func weightDecayScope() {
        let scope = WeightDecayScope.weightsAndGammas
        #expect(scope.multiplier(for: "conv1_1.weight") == 1)
        #expect(scope.multiplier(for: "conv1_1_weight") == 1)
        #expect(scope.multiplier(for: "bn1.gamma") == 1)
        #expect(scope.multiplier(for: "conv1_1.bias") == 0)
        #expect(scope.multiplier(for: "bn1.beta") == 0)
        #expect(scope.multiplier(for: "classweight") == 0)
        #expect(WeightDecayScope.all.multiplier(for: "conv1_1.bias") == 1)
    }

    @Test("AdaDelta ignores the learning rate, as MXNet 1.x does")
    func adaDeltaIgnoresLearningRate() {
        let a = makeParameters([("w.weight", 13)], seed: 2)
        let b = makeParameters([("w.weight", 13)], seed: 2)
        var first = AdaDelta(weightDecay: 0.01)
        var second = AdaDelta(weightDecay: 0.01)
        fillGradients(a, step: 1)
        fillGradients(b, step: 1)
        first.step(a, learningRate: 0.001)
        second.step(b, learningRate: 0.5)
        #expect(Array(a[0].value) == Array(b[0].value))
    }
}
