import Testing

@testable import ModelCore

@Suite("Conv2D layer (oneDNN) vs the naive reference")
struct Conv2DTests {
    static let geometries: [Conv2DGeometry] = [
        Conv2DGeometry(batch: 1, inputChannels: 3, outputChannels: 8, height: 9, width: 11, kernelSize: 3, padding: 1),
        Conv2DGeometry(batch: 2, inputChannels: 16, outputChannels: 32, height: 12, width: 12, kernelSize: 3, stride: 2, padding: 1),
        Conv2DGeometry(batch: 2, inputChannels: 8, outputChannels: 16, height: 10, width: 10, kernelSize: 3, padding: 2, dilation: 2),
        Conv2DGeometry(batch: 3, inputChannels: 24, outputChannels: 5, height: 7, width: 6, kernelSize: 1),
        // Winograd's backward kernels on AVX-512 (`winogradInTraining`).
        winogradGeometry,
    ]
    static let winogradGeometry = Conv2DGeometry(batch: 2, inputChannels: 16, outputChannels: 32, height: 16, width: 16, kernelSize: 3, padding: 1)

    static func layer(_ g: Conv2DGeometry, engine: CPUEngine, rng: inout TestRandom) -> Conv2D {
        let conv = Conv2D(
            name: "conv",
            inputChannels: g.inputChannels,
            outputChannels: g.outputChannels,
            kernelSize: g.kernelSize,
            stride: g.stride,
            padding: g.padding,
            dilation: g.dilation,
            engine: engine
        )
        conv.weight.assign(rng.uniform(conv.weight.count))
        conv.bias!.assign(rng.uniform(g.outputChannels))
        return conv
    }

    /// Tolerance: values lie in [-1, 1] and each output sums at most 16·3·3 = 144 products (weight gradients sum
    /// up to N·OH·OW = 512), so float32 reassociation error, and Winograd's transforms' rounding, stay far below
    /// 1e-4 absolute + 1e-4 relative.
    @Test("forward, backward data and backward weights agree within 1e-4 abs + 1e-4 rel", arguments: geometries)
    func matchesReference(_ g: Conv2DGeometry) throws {
        var rng = TestRandom(seed: UInt64(g.inputChannels * 131 + g.outputChannels))
        let engine = try CPUEngine()
        let conv = Self.layer(g, engine: engine, rng: &rng)
        let input = rng.uniform(g.inputDims.reduce(1, *))
        let outputGradient = rng.uniform(g.outputDims.reduce(1, *))
        let weights = Array(conv.weight.value)
        let bias = Array(conv.bias!.value)

        let output = try conv.forward(Tensor(plain: input, dims: g.inputDims, engine: engine), mode: .training)
        #expect(output.dims == g.outputDims)
        expectClose(
            try output.plainValues(),
            ReferenceKernels.conv2DForward(g, input: input, weights: weights, bias: bias),
            atol: 1e-4,
            rtol: 1e-4,
            "forward"
        )

        let inputGradient = try conv.backward(Tensor(plain: outputGradient, dims: g.outputDims, engine: engine))
        expectClose(
            try inputGradient!.plainValues(),
            ReferenceKernels.conv2DBackwardData(g, outputGradient: outputGradient, weights: weights),
            atol: 1e-4,
            rtol: 1e-4,
            "backward data"
        )
        let reference = ReferenceKernels.conv2DBackwardWeights(g, input: input, outputGradient: outputGradient)
        expectClose(Array(conv.weight.gradient), reference.weights, atol: 1e-4, rtol: 1e-4, "backward weights")
        expectClose(Array(conv.bias!.gradient), reference.bias, atol: 1e-4, rtol: 1e-4, "backward bias")
    }

    /// Finite differences in float32: for L = Σ y·r, dL/dθ ≈ (L(θ+ε) − L(θ−ε)) / 2ε with ε = 1e-2. Convolution is
    /// linear, so the only error is float rounding of L (~1e-6·|L|/ε): 2e-2 absolute + 1e-2 relative is ample.
    @Test("analytic gradients match central finite differences")
    func finiteDifferences() throws {
        let g = Conv2DGeometry(batch: 2, inputChannels: 3, outputChannels: 4, height: 6, width: 5, kernelSize: 3, stride: 2, padding: 1)
        var rng = TestRandom(seed: 7)
        let engine = try CPUEngine()
        let conv = Self.layer(g, engine: engine, rng: &rng)
        var input = rng.uniform(g.inputDims.reduce(1, *))
        let r = rng.uniform(g.outputDims.reduce(1, *))
        func loss() throws -> Double {
            dot(try conv.forward(Tensor(plain: input, dims: g.inputDims, engine: engine), mode: .training).plainValues(), r)
        }
        _ = try loss()
        let analyticInput = try conv.backward(Tensor(plain: r, dims: g.outputDims, engine: engine))!.plainValues()
        let analyticWeights = Array(conv.weight.gradient)
        let epsilon: Float = 1e-2
        var numericInput = [Float]()
        for i in stride(from: 0, to: input.count, by: 7) {
            let saved = input[i]
            input[i] = saved + epsilon
            let plus = try loss()
            input[i] = saved - epsilon
            let minus = try loss()
            input[i] = saved
            numericInput.append(Float((plus - minus) / Double(2 * epsilon)))
        }
        expectClose(numericInput, stride(from: 0, to: input.count, by: 7).map { analyticInput[$0] }, atol: 2e-2, rtol: 1e-2, "dL/dx")
        var numericWeights = [Float]()
        for i in stride(from: 0, to: conv.weight.count, by: 5) {
            let saved = conv.weight.value[i]
            conv.weight.value[i] = saved + epsilon
            let plus = try loss()
            conv.weight.value[i] = saved - epsilon
            let minus = try loss()
            conv.weight.value[i] = saved
            numericWeights.append(Float((plus - minus) / Double(2 * epsilon)))
        }
        expectClose(numericWeights, stride(from: 0, to: conv.weight.count, by: 5).map { analyticWeights[$0] }, atol: 2e-2, rtol: 1e-2, "dL/dW")
    }

    @Test("a 3×3 stride-1 convolution on whole 16-channel blocks runs its backward passes with Winograd's kernels where oneDNN has them (AVX-512)")
    func winogradInTraining() throws {
        let g = Self.winogradGeometry
        #expect(ConvolutionKernel.usesWinograd(g))
        #expect(!ConvolutionKernel.usesWinograd(Conv2DGeometry(batch: 16, inputChannels: 128, outputChannels: 128, height: 10, width: 10, kernelSize: 3, padding: 1)))
        var weights = [Float](repeating: 0, count: g.weightDims.reduce(1, *))
        var gradient = weights
        let implementations = try weights.withUnsafeMutableBufferPointer { weights in
            try gradient.withUnsafeMutableBufferPointer { gradient in
                try ConvolutionKernel(g, buffers: .init(weights: weights, weightsGradient: gradient), engine: CPUEngine()).implementations
            }
        }
        #expect(!implementations[0].contains("wino"), "\(implementations)")
        #expect(implementations[1...].allSatisfy { $0.contains("wino") } == CPUEngine.runsAVX512, "\(implementations)")
    }

    @Test("output size follows stride, padding and dilation")
    func outputGeometry() {
        let g = Conv2DGeometry(batch: 1, inputChannels: 1, outputChannels: 1, height: 300, width: 300, kernelSize: 3, stride: 2, padding: 1)
        #expect(g.outputDims == [1, 1, 150, 150])
        let dilated = Conv2DGeometry(batch: 1, inputChannels: 1, outputChannels: 1, height: 19, width: 19, kernelSize: 3, padding: 6, dilation: 6)
        #expect(dilated.outputDims == [1, 1, 19, 19])
    }
}
