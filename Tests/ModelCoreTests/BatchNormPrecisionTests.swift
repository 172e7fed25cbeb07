import CDNNL
import Testing
@testable import ModelCore

/// Batch norm runs on one thread for small planes and on the process's threads for large ones
/// (`BatchNormKernel.threadLimit(for:)`); oneDNN's sums lose digits on one thread over a 150×150 plane (5.7e-4 of
/// the input gradient, measured) and on two over 8·75² values (3.4e-4). At the network's shapes, in the convolutions'
/// blocked layout with ReLU fused, every gradient stays within 1e-5 of the double-precision reference.
@Suite("Batch norm precision at the networks' shapes")
struct BatchNormPrecisionTests {
    @Test("fused batch norm + ReLU gradients within 1e-5 of the double reference", arguments: [[4, 32, 150, 150], [8, 64, 75, 75], [16, 64, 38, 38]])
    func gradients(dims: [Int]) throws {
        let engine = try CPUEngine()
        var random = SeededGenerator(seed: 5)
        let count = dims.reduce(1, *)
        let input = (0..<count).map { _ in random.nextNormal() * 2 + 0.3 }
        let outputGradient = (0..<count).map { _ in random.nextNormal() * 1e-3 }
        let layer = BatchNorm(name: "bn", channels: dims[1], fusesReLU: true, engine: engine)
        layer.scale.assign((0..<dims[1]).map { _ in random.nextNormal() * 0.2 + 1 })
        layer.shift.assign((0..<dims[1]).map { _ in random.nextNormal() * 0.2 })
        func blocked(_ values: [Float]) throws -> Tensor {
            Tensor(try LayoutAdapter(engine: engine).adapt(Tensor(plain: values, dims: dims, engine: engine).memory, to: DNNLMemory.descriptor(dims, dnnl_nChw16c)))
        }
        _ = try layer.forward(blocked(input), mode: .training)
        let inputGradient = try layer.backward(blocked(outputGradient))!.plainValues()
        let normalized = ReferenceKernels.batchNormForward(
            input: input, dims: dims, scale: Array(layer.scale.value), shift: Array(layer.shift.value), epsilon: layer.epsilon)
        let expected = ReferenceKernels.batchNormBackward(
            input: input, dims: dims, outputGradient: ReferenceKernels.reluBackward(input: normalized.output, outputGradient: outputGradient),
            scale: Array(layer.scale.value), epsilon: layer.epsilon)
        #expect(Self.relativeDifference(inputGradient, expected.input) < 1e-5, "input")
        #expect(Self.relativeDifference(Array(layer.scale.gradient), expected.scale) < 1e-5, "scale")
        #expect(Self.relativeDifference(Array(layer.shift.gradient), expected.shift) < 1e-5, "shift")
    }

    /// ‖a − b‖ / ‖b‖ in double.
    static func relativeDifference(_ a: [Float], _ b: [Float]) -> Double {
        let difference = zip(a, b).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()
        return difference / max(b.map { Double($0) * Double($0) }.reduce(0, +).squareRoot(), 1e-30)
    }
}
