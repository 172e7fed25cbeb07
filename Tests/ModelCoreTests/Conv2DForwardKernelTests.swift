import ModelCore
import Testing

@Suite("oneDNN convolution forward vs the naive reference")
struct Conv2DForwardKernelTests {
    static let geometries: [Conv2DGeometry] = [
        Conv2DGeometry(batch: 1, inputChannels: 3, outputChannels: 8, height: 9, width: 11, kernelSize: 3, padding: 1),
        Conv2DGeometry(batch: 2, inputChannels: 16, outputChannels: 32, height: 12, width: 12, kernelSize: 3, stride: 2, padding: 1),
        Conv2DGeometry(batch: 2, inputChannels: 8, outputChannels: 16, height: 10, width: 10, kernelSize: 3, padding: 2, dilation: 2),
        Conv2DGeometry(batch: 3, inputChannels: 24, outputChannels: 5, height: 7, width: 6, kernelSize: 1),
    ]

    /// Tolerance: inputs and weights lie in [-1, 1] and each output sums at most 16·3·3 = 144 products, so
    /// float32 reassociation error stays far below 1e-4 absolute + 1e-4 relative.
    @Test("outputs agree within 1e-4 abs + 1e-4 rel", arguments: geometries)
    func matchesReference(_ geometry: Conv2DGeometry) throws {
        var rng = TestRandom(seed: UInt64(geometry.inputChannels * 131 + geometry.outputChannels))
        let input = (0..<geometry.inputDims.reduce(1, *)).map { _ in rng.uniform() }
        let weights = (0..<geometry.weightDims.reduce(1, *)).map { _ in rng.uniform() }
        let bias = (0..<geometry.outputChannels).map { _ in rng.uniform() }

        let kernel = try Conv2DForwardKernel(geometry, engine: CPUEngine())
        try kernel.setParameters(weights: weights, bias: bias)
        let fast = try kernel.forward(input)
        let reference = ReferenceKernels.conv2DForward(geometry, input: input, weights: weights, bias: bias)

        #expect(fast.count == reference.count)
        let worst = zip(fast, reference).map { abs($0 - $1) - 1e-4 * abs($1) }.max() ?? .infinity
        #expect(worst <= 1e-4, "largest error beyond tolerance: \(worst)")
    }

    @Test("output size follows stride, padding and dilation")
    func outputGeometry() {
        let g = Conv2DGeometry(batch: 1, inputChannels: 1, outputChannels: 1, height: 300, width: 300, kernelSize: 3, stride: 2, padding: 1)
        #expect(g.outputDims == [1, 1, 150, 150])
        let dilated = Conv2DGeometry(batch: 1, inputChannels: 1, outputChannels: 1, height: 19, width: 19, kernelSize: 3, padding: 6, dilation: 6)
        #expect(dilated.outputDims == [1, 1, 19, 19])
    }
}

/// SplitMix64: a tiny deterministic generator so every test run sees the same numbers.
struct TestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    mutating func uniform() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }
}
