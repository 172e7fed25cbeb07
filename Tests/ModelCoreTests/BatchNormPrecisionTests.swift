import CDNNL
import Testing
@testable import ModelCore

/// Batch norm with ReLU fused, at the networks' shapes, in the layout this CPU's convolutions give the batch norm after
/// them (oneDNN's choice: 16-channel blocks with AVX-512, 8 with AVX2 — on AVX2 oneDNN has no JIT batch norm for
/// 16-channel blocks, only its reference one), on the threads `BatchNormKernel.threadLimit(for:)` gives it: every
/// gradient within 1e-5 of the double-precision reference (on the AVX2 machine: 2.6e-6–3.8e-6 at 150² on two threads,
/// 7.5e-6–9.9e-6 with `APIARY_BATCH_NORM_THREADS=1`).
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
        let layout = try Self.convolutionOutputLayout(dims, engine: engine)
        func blocked(_ values: [Float]) throws -> Tensor {
            Tensor(try LayoutAdapter(engine: engine).adapt(Tensor(plain: values, dims: dims, engine: engine).memory, to: layout))
        }
        let output = try layer.forward(blocked(input), mode: .training).plainValues()
        let inputGradient = try layer.backward(blocked(outputGradient))!.plainValues()
        let normalized = ReferenceKernels.batchNormForward(
            input: input, dims: dims, scale: Array(layer.scale.value), shift: Array(layer.shift.value), epsilon: layer.epsilon)
        #expect(Self.relativeDifference(output, normalized.output.map { max($0, 0) }) < 1e-5, "output")
        // ReLU's mask is the kernel's own (its output > 0): where a normalised value is within rounding of zero,
        // float and double may fall on either side of the kink, and one flipped element moves its channel's shift
        // gradient by a whole output gradient — a jump no precision removes, not a summing error. The output
        // above is continuous there.
        let expected = ReferenceKernels.batchNormBackward(
            input: input, dims: dims, outputGradient: ReferenceKernels.reluBackward(input: output, outputGradient: outputGradient),
            scale: Array(layer.scale.value), epsilon: layer.epsilon)
        #expect(Self.relativeDifference(inputGradient, expected.input) < 1e-5, "input")
        #expect(Self.relativeDifference(Array(layer.scale.gradient), expected.scale) < 1e-5, "scale")
        #expect(Self.relativeDifference(Array(layer.shift.gradient), expected.shift) < 1e-5, "shift")
    }

    /// The layout a 3×3 convolution's output of shape `dims` has on this CPU.
    static func convolutionOutputLayout(_ dims: [Int], engine: CPUEngine) throws -> dnnl_memory_desc_t {
        let convolution = Conv2D(name: "c", inputChannels: dims[1], outputChannels: dims[1], kernelSize: 3, padding: 1, bias: false, engine: engine)
        let input = try Tensor(plain: [Float](repeating: 0, count: dims.reduce(1, *)), dims: dims, engine: engine)
        return try convolution.forward(input, mode: .training).memory.descriptor
    }

    /// ‖a − b‖ / ‖b‖ in double.
    static func relativeDifference(_ a: [Float], _ b: [Float]) -> Double {
        let difference = zip(a, b).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()
        return difference / max(b.map { Double($0) * Double($0) }.reduce(0, +).squareRoot(), 1e-30)
    }
}
