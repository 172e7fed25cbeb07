import ModelCore
import Testing

@Suite("Composite layers: L2 normalization, residual blocks, sequential chains")
struct CompositeLayerTests {
    /// Central finite differences of L = Σ y·r for sampled input elements (float32 forward): 3e-2 absolute +
    /// 3e-2 relative, far below the error of any wrong term. Blocks with ReLUs use ε = 1e-3 so that a nudge
    /// rarely crosses a kink (with ε = 1e-2 one of 40 samples in the bottleneck block did); rounding noise of L
    /// (~1e-6) divided by 2ε stays below 1e-3.
    static func checkInputGradient(
        _ layer: any Layer,
        dims: [Int],
        seed: UInt64,
        engine: CPUEngine,
        epsilon: Float = 1e-2,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var rng = TestRandom(seed: seed)
        var input = rng.uniform(dims.reduce(1, *))
        func loss(_ r: [Float]) throws -> (Double, [Int]) {
            let y = try layer.forward(Tensor(plain: input, dims: dims, engine: engine), mode: .training)
            return (dot(try y.plainValues(), r), y.dims)
        }
        let outputDims = try layer.forward(Tensor(plain: input, dims: dims, engine: engine), mode: .training).dims
        let r = rng.uniform(outputDims.reduce(1, *))
        _ = try loss(r)
        let analytic = try layer.backward(Tensor(plain: r, dims: outputDims, engine: engine))!.plainValues()
        var numeric = [Float]()
        var picked = [Float]()
        for i in stride(from: 0, to: input.count, by: max(1, input.count / 40)) {
            let saved = input[i]
            input[i] = saved + epsilon
            let plus = try loss(r).0
            input[i] = saved - epsilon
            let minus = try loss(r).0
            input[i] = saved
            numeric.append(Float((plus - minus) / Double(2 * epsilon)))
            picked.append(analytic[i])
        }
        expectClose(numeric, picked, atol: 3e-2, rtol: 3e-2, "dL/dx", sourceLocation: sourceLocation)
    }

    @Test("L2 normalization: unit norm times scale, and gradients match finite differences")
    func l2Normalization() throws {
        let engine = try CPUEngine()
        let layer = L2Normalization(name: "conv4_3_norm", channels: 8, initialScale: 2, engine: engine)
        var rng = TestRandom(seed: 1)
        layer.scale.assign(rng.uniform(8).map { $0 + 2 })
        let input = rng.uniform(2 * 8 * 3 * 4)
        let y = try layer.forward(Tensor(plain: input, dims: [2, 8, 3, 4], engine: engine), mode: .inference).plainValues()
        // Pixel (n=1, h=2, w=3): y[c] = s[c] · x[c] / ‖x‖.
        let indices = (0..<8).map { c in ((1 * 8 + c) * 3 + 2) * 4 + 3 }
        let norm = indices.map { input[$0] * input[$0] }.reduce(0, +).squareRoot()
        expectClose(indices.map { y[$0] }, (0..<8).map { c in layer.scale.value[c] * input[indices[c]] / norm }, atol: 1e-5, rtol: 1e-5, "forward")
        try Self.checkInputGradient(layer, dims: [2, 8, 3, 4], seed: 2, engine: engine)
    }

    @Test("a bottleneck residual block with a projection shortcut passes the finite-difference check")
    func residual() throws {
        let engine = try CPUEngine()
        var rng = TestRandom(seed: 9)
        func conv(_ name: String, _ i: Int, _ o: Int, _ k: Int, stride: Int = 1) -> Conv2D {
            let c = Conv2D(
                name: name,
                inputChannels: i,
                outputChannels: o,
                kernelSize: k,
                stride: stride,
                padding: k / 2,
                bias: false,
                engine: engine
            )
            c.weight.assign(rng.uniform(c.weight.count).map { $0 * 0.5 })
            return c
        }
        let branch = Sequential([
            conv("a", 4, 3, 1), BatchNorm(name: "a_bn", channels: 3, engine: engine), ReLU(engine: engine),
            conv("b", 3, 3, 3, stride: 2), BatchNorm(name: "b_bn", channels: 3, engine: engine), ReLU(engine: engine),
            conv("c", 3, 8, 1), BatchNorm(name: "c_bn", channels: 8, engine: engine),
        ])
        let shortcut = Sequential([conv("proj", 4, 8, 1, stride: 2), BatchNorm(name: "proj_bn", channels: 8, engine: engine)])
        let block = Residual(branch: branch, shortcut: shortcut, engine: engine)
        #expect(block.parameters.count == 4 + 4 * 2)
        #expect(block.buffers.count == 4 * 2)
        try Self.checkInputGradient(block, dims: [2, 4, 6, 6], seed: 4, engine: engine, epsilon: 1e-3)
    }

    @Test("an identity residual block adds its input back")
    func identityResidual() throws {
        let engine = try CPUEngine()
        let conv = Conv2D(name: "c", inputChannels: 8, outputChannels: 8, kernelSize: 1, bias: false, engine: engine)
        // Zero weights: the branch contributes nothing, so y = relu(x).
        let block = Residual(branch: Sequential([conv]), shortcut: nil, engine: engine)
        var rng = TestRandom(seed: 12)
        let input = rng.uniform(2 * 8 * 3 * 3)
        let y = try block.forward(Tensor(plain: input, dims: [2, 8, 3, 3], engine: engine), mode: .training).plainValues()
        #expect(y == input.map { max($0, 0) })
        try Self.checkInputGradient(block, dims: [2, 8, 3, 3], seed: 13, engine: engine)
    }
}
