import ModelCore
import Testing

@Suite("BatchNorm, ReLU and MaxPool2D (oneDNN) vs the naive reference")
struct ElementwiseLayerTests {
    /// Batch norm sums over N·H·W = 2·5·6 = 60 values per channel in float32 (the reference in double):
    /// 1e-4 absolute + 1e-4 relative leaves room for oneDNN's single-precision statistics.
    @Test("batch norm forward, backward, running statistics and inference mode")
    func batchNorm() throws {
        let dims = [2, 16, 5, 6]
        var rng = TestRandom(seed: 11)
        let engine = try CPUEngine()
        let bn = BatchNorm(name: "bn", channels: 16, momentum: 0.1, engine: engine)
        bn.scale.assign(rng.uniform(16).map { $0 + 1.5 })
        bn.shift.assign(rng.uniform(16))
        let input = rng.uniform(dims.reduce(1, *)).map { $0 * 3 + 0.5 }
        let outputGradient = rng.uniform(input.count)
        let reference = ReferenceKernels.batchNormForward(
            input: input,
            dims: dims,
            scale: Array(bn.scale.value),
            shift: Array(bn.shift.value),
            epsilon: bn.epsilon
        )

        let output = try bn.forward(Tensor(plain: input, dims: dims, engine: engine), mode: .training)
        expectClose(try output.plainValues(), reference.output, atol: 1e-4, rtol: 1e-4, "forward")
        let unbiased = Float(60) / 59
        expectClose(Array(bn.runningMean.value), reference.mean.map { 0.1 * $0 }, atol: 1e-5, rtol: 1e-4, "running mean")
        expectClose(Array(bn.runningVariance.value), reference.variance.map { 0.9 + 0.1 * $0 * unbiased }, atol: 1e-5, rtol: 1e-4, "running variance")

        let gradients = ReferenceKernels.batchNormBackward(
            input: input,
            dims: dims,
            outputGradient: outputGradient,
            scale: Array(bn.scale.value),
            epsilon: bn.epsilon
        )
        let inputGradient = try bn.backward(Tensor(plain: outputGradient, dims: dims, engine: engine))!
        expectClose(try inputGradient.plainValues(), gradients.input, atol: 1e-4, rtol: 1e-4, "backward input")
        expectClose(Array(bn.scale.gradient), gradients.scale, atol: 1e-4, rtol: 1e-4, "backward scale")
        expectClose(Array(bn.shift.gradient), gradients.shift, atol: 1e-4, rtol: 1e-4, "backward shift")

        // Inference normalises with the running statistics instead of the batch's.
        let inferred = try bn.forward(Tensor(plain: input, dims: dims, engine: engine), mode: .inference).plainValues()
        let plane = 30
        let expected = input.indices.map { i -> Float in
            let c = (i / plane) % 16
            return (input[i] - bn.runningMean.value[c]) / (bn.runningVariance.value[c] + bn.epsilon).squareRoot() * bn.scale.value[c]
                + bn.shift.value[c]
        }
        expectClose(inferred, expected, atol: 1e-4, rtol: 1e-4, "inference")
    }

    /// Finite differences through batch norm (non-linear in x through μ and σ): ε = 1e-2 in float32, checked
    /// with 3e-2 absolute + 3e-2 relative, which a wrong formula (e.g. a missing mean term) exceeds by far.
    @Test("batch norm input gradient matches central finite differences")
    func batchNormFiniteDifferences() throws {
        let dims = [3, 2, 2, 3]
        var rng = TestRandom(seed: 5)
        let engine = try CPUEngine()
        let bn = BatchNorm(name: "bn", channels: 2, engine: engine)
        bn.scale.assign([1.3, -0.7])
        var input = rng.uniform(dims.reduce(1, *)).map { $0 * 2 }
        let r = rng.uniform(input.count)
        func loss() throws -> Double {
            dot(try bn.forward(Tensor(plain: input, dims: dims, engine: engine), mode: .training).plainValues(), r)
        }
        _ = try loss()
        let analytic = try bn.backward(Tensor(plain: r, dims: dims, engine: engine))!.plainValues()
        var numeric = [Float]()
        for i in input.indices {
            let saved = input[i]
            input[i] = saved + 1e-2
            let plus = try loss()
            input[i] = saved - 1e-2
            let minus = try loss()
            input[i] = saved
            numeric.append(Float((plus - minus) / 2e-2))
        }
        expectClose(numeric, analytic, atol: 3e-2, rtol: 3e-2, "dL/dx")
    }

    @Test("batch norm with fused ReLU equals batch norm then ReLU, forward and backward")
    func fusedReLU() throws {
        let dims = [2, 16, 5, 6]
        var rng = TestRandom(seed: 17)
        let engine = try CPUEngine()
        let fused = BatchNorm(name: "bn", channels: 16, fusesReLU: true, engine: engine)
        fused.scale.assign(rng.uniform(16).map { $0 + 1.5 })
        fused.shift.assign(rng.uniform(16))
        let input = rng.uniform(dims.reduce(1, *))
        let outputGradient = rng.uniform(input.count)
        let normalized = ReferenceKernels.batchNormForward(
            input: input,
            dims: dims,
            scale: Array(fused.scale.value),
            shift: Array(fused.shift.value),
            epsilon: fused.epsilon
        )
        let output = try fused.forward(Tensor(plain: input, dims: dims, engine: engine), mode: .training)
        expectClose(try output.plainValues(), ReferenceKernels.reluForward(normalized.output), atol: 1e-4, rtol: 1e-4, "forward")
        let reluGradient = ReferenceKernels.reluBackward(input: normalized.output, outputGradient: outputGradient)
        let expected = ReferenceKernels.batchNormBackward(
            input: input,
            dims: dims,
            outputGradient: reluGradient,
            scale: Array(fused.scale.value),
            epsilon: fused.epsilon
        )
        let inputGradient = try fused.backward(Tensor(plain: outputGradient, dims: dims, engine: engine))!
        expectClose(try inputGradient.plainValues(), expected.input, atol: 1e-4, rtol: 1e-4, "backward input")
        expectClose(Array(fused.scale.gradient), expected.scale, atol: 1e-4, rtol: 1e-4, "backward scale")
        let inferred = try fused.forward(Tensor(plain: input, dims: dims, engine: engine), mode: .inference).plainValues()
        #expect(inferred.allSatisfy { $0 >= 0 })
    }

    @Test("relu forward and backward are exact")
    func relu() throws {
        let dims = [2, 8, 3, 5]
        var rng = TestRandom(seed: 3)
        let engine = try CPUEngine()
        let relu = ReLU(engine: engine)
        let input = rng.uniform(dims.reduce(1, *))
        let outputGradient = rng.uniform(input.count)
        let output = try relu.forward(Tensor(plain: input, dims: dims, engine: engine), mode: .training)
        #expect(try output.plainValues() == ReferenceKernels.reluForward(input))
        let inputGradient = try relu.backward(Tensor(plain: outputGradient, dims: dims, engine: engine))!
        #expect(try inputGradient.plainValues() == ReferenceKernels.reluBackward(input: input, outputGradient: outputGradient))
    }

    struct PoolCase: Sendable, CustomTestStringConvertible {
        let dims: [Int]
        let kernel: Int
        let stride: Int
        let padding: Int
        let ceilMode: Bool
        let expectedSize: (Int, Int)
        var testDescription: String { "\(dims) k\(kernel) s\(stride) p\(padding)\(ceilMode ? " ceil" : "")" }
    }

    static let poolCases: [PoolCase] = [
        PoolCase(dims: [2, 8, 6, 6], kernel: 2, stride: 2, padding: 0, ceilMode: false, expectedSize: (3, 3)),
        PoolCase(dims: [1, 16, 75, 75], kernel: 2, stride: 2, padding: 0, ceilMode: true, expectedSize: (38, 38)),
        PoolCase(dims: [2, 8, 7, 9], kernel: 3, stride: 1, padding: 1, ceilMode: false, expectedSize: (7, 9)),
        PoolCase(dims: [1, 8, 9, 9], kernel: 3, stride: 2, padding: 1, ceilMode: false, expectedSize: (5, 5)),
    ]

    @Test("max pool forward and backward are exact", arguments: poolCases)
    func maxPool(_ c: PoolCase) throws {
        var rng = TestRandom(seed: UInt64(c.dims[2] * 10 + c.kernel))
        let engine = try CPUEngine()
        let pool = MaxPool2D(kernelSize: c.kernel, stride: c.stride, padding: c.padding, ceilMode: c.ceilMode, engine: engine)
        let input = rng.uniform(c.dims.reduce(1, *))
        let output = try pool.forward(Tensor(plain: input, dims: c.dims, engine: engine), mode: .training)
        #expect(output.dims == [c.dims[0], c.dims[1], c.expectedSize.0, c.expectedSize.1])
        let reference = ReferenceKernels.maxPoolForward(
            input: input,
            dims: c.dims,
            kernelSize: c.kernel,
            stride: c.stride,
            padding: c.padding,
            outputHeight: c.expectedSize.0,
            outputWidth: c.expectedSize.1
        )
        #expect(try output.plainValues() == reference.output)
        let outputGradient = rng.uniform(output.count)
        let inputGradient = try pool.backward(Tensor(plain: outputGradient, dims: output.dims, engine: engine))!
        expectClose(
            try inputGradient.plainValues(),
            ReferenceKernels.maxPoolBackward(argmax: reference.argmax, outputGradient: outputGradient, inputCount: input.count),
            atol: 1e-6,
            rtol: 1e-6,
            "backward"
        )
    }
}
