import Foundation
import ModelCore
import Testing

/// The SIMD8 kernels against a plain scalar loop of the same `Float` formula, evaluated in the same order.
///
/// Tolerance: none — the comparison is on bit patterns. Lanes are independent, `+ − × ÷ √` are correctly
/// rounded in both the vector and the scalar instructions, and neither side fuses multiply-adds, so any
/// difference would be a bug in the chunking (offsets, the 3-element tail) rather than rounding. The formulas
/// themselves are checked against double-precision MXNet references in `OptimizerTests`.
@Suite("Optimizer kernels: SIMD8 over 1M parameters equals the scalar formula")
struct OptimizerVectorizationTests {
    static let count = 1_000_003

    /// Scalar `Float` reference of one step, same operation order as the kernels.
    static func scalarStep(_ kind: OptimizerCase, w: inout [Float], slots: inout [[Float]], grad: [Float], lr: Float, t: Int) {
        let rescale: Float = 0.5
        let wd: Float = 0.125
        switch kind {
        case .sgd:
            let momentum = Float(0.9)
            let lrWd = lr * wd
            let lrRescale = lr * rescale
            for i in w.indices {
                let m = momentum * slots[0][i] - lrWd * w[i] - lrRescale * grad[i]
                slots[0][i] = m
                w[i] = w[i] + m
            }
        case .adam:
            let lrT = Float(Double(lr) * ((1 - pow(0.999, Double(t))).squareRoot() / (1 - pow(0.9, Double(t)))))
            let beta1 = Float(0.9)
            let beta2 = Float(0.999)
            let epsilon = Float(1e-8)
            for i in w.indices {
                let g = grad[i] * rescale + w[i] * wd
                let m = beta1 * slots[0][i] + (1 - beta1) * g
                let v = beta2 * slots[1][i] + (1 - beta2) * g * g
                slots[0][i] = m
                slots[1][i] = v
                w[i] = w[i] - lrT * m / (v.squareRoot() + epsilon)
            }
        case .rmsprop:
            let gamma1 = Float(0.9)
            let epsilon = Float(1e-8)
            for i in w.indices {
                let g = rescale * grad[i] + wd * w[i]
                let n = (1 - gamma1) * (g * g) + gamma1 * slots[0][i]
                slots[0][i] = n
                w[i] = w[i] - lr * (g / (n + epsilon).squareRoot())
            }
        case .adadelta:
            let rho = Float(0.9)
            let oneMinusRho = Float(1 - 0.9)
            let epsilon = Float(1e-5)
            for i in w.indices {
                let g = grad[i] * rescale
                let ag = rho * slots[0][i] + oneMinusRho * g * g
                let ad = slots[1][i]
                let delta = (ad + epsilon).squareRoot() / (ag + epsilon).squareRoot() * g
                slots[0][i] = ag
                slots[1][i] = rho * ad + oneMinusRho * delta * delta
                w[i] = w[i] - (delta + wd * w[i])
            }
        }
    }

    @Test("two steps of 1,000,003 parameters are bit-identical to the scalar loop", arguments: OptimizerCase.allCases)
    func millionParameters(_ kind: OptimizerCase) throws {
        let parameter = makeParameters([("big.weight", Self.count)], seed: 21)[0]
        var optimizer = kind.make()
        var w = Array(parameter.value)
        var slots = kind.slotNames.map { _ in [Float](repeating: 0, count: Self.count) }
        for t in 1...2 {
            fillGradients([parameter], step: t)
            let lr: Float = t == 1 ? 0.01 : 0.003
            Self.scalarStep(kind, w: &w, slots: &slots, grad: Array(parameter.gradient), lr: lr, t: t)
            optimizer.step([parameter], learningRate: lr)
        }
        let mismatches = zip(Array(parameter.value), w).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(mismatches == 0, "\(kind): \(mismatches) weights differ from the scalar formula")
        let state = optimizer.state()
        for (slot, expected) in zip(kind.slotNames, slots) {
            let saved = try #require(state["big.weight:\(slot)"])
            #expect(saved.map(\.bitPattern) == expected.map(\.bitPattern), "\(kind) slot \(slot)")
        }
    }
}
