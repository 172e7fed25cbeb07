import ImageCodec
import ModelCore
import Testing

@Suite("Inference fusion: batch norm folded into convolutions, ReLU and residual sums as post-ops")
struct InferenceFusionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let baseNetwork: String
        let imageShape: Int
        let batch: Int
        var testDescription: String { "\(baseNetwork)@\(imageShape)×\(batch)" }
    }

    /// VGG-16's valid-padded extras need 300²; the other two run smaller to keep the suite fast.
    static let cases = [
        Case(baseNetwork: "apiary-mobile", imageShape: 300, batch: 2),
        Case(baseNetwork: "resnet-50", imageShape: 160, batch: 2),
        Case(baseNetwork: "vgg-16", imageShape: 300, batch: 1),
    ]

    /// Raw head outputs of the fused network match the unfused one's inference pass within 1e-4 of their largest
    /// magnitude, with random batch-norm statistics, and decode to the same detections.
    @Test("fused and unfused inference agree", arguments: cases)
    func fusedMatchesUnfused(_ c: Case) throws {
        let engine = try CPUEngine()
        let network = try SSDNetwork(baseNetwork: c.baseNetwork, classes: 2, seed: 7, engine: engine)
        var rng = TestRandom(seed: 12)
        let images = try Tensor(
            plain: rng.uniform(c.batch * 3 * c.imageShape * c.imageShape),
            dims: [c.batch, 3, c.imageShape, c.imageShape],
            engine: engine
        )
        try randomizeInferenceState(network, images: images, seed: 11)
        let unfused = try network.forward(images, mode: .inference)
        let fusedNetwork = InferenceNetwork(fusing: network)
        let fused = try fusedNetwork.forward(images)

        #expect(maxRelativeDifference(fused.locations, unfused.locations) <= 1e-4)
        #expect(maxRelativeDifference(fused.classLogits, unfused.classLogits) <= 1e-4)
        #expect(Set(unfused.classLogits.map { ($0 * 10).rounded() }).count > 10, "logits should vary: \(c)")

        let decoder = DetectionDecoder(anchors: network.defaultBoxes(imageShape: c.imageShape))
        let expected = decoder(locations: unfused.locations, classLogits: unfused.classLogits)
        let actual = decoder(locations: fused.locations, classLogits: fused.classLogits)
        expectSameDetections(actual, expected)

        // Nothing unfused is left: no batch norm, standalone ReLU, residual add or training convolution.
        #expect(!flattened(fusedNetwork.stages).contains { $0 is BatchNorm || $0 is ReLU || $0 is Residual || $0 is Conv2D })
        #expect(fusedNetwork.stages.flatMap(\.layers).contains { $0 is InferenceResidual } == (c.baseNetwork == "resnet-50"))
    }

    /// Identity and projection residual blocks, at layer level: `relu(branch + shortcut)` with the sum as a post-op.
    @Test("residual blocks fuse their sum and ReLU into the branch's last convolution")
    func residualBlocks() throws {
        let engine = try CPUEngine()
        func block(_ name: String, input: Int, projection: Bool) -> Residual {
            let branch = Sequential([
                Conv2D(name: "\(name)_conv1", inputChannels: input, outputChannels: 8, kernelSize: 3, padding: 1, bias: false, engine: engine),
                BatchNorm(name: "\(name)_bn1", channels: 8, fusesReLU: true, engine: engine),
                Conv2D(name: "\(name)_conv2", inputChannels: 8, outputChannels: 16, kernelSize: 1, bias: false, engine: engine),
                BatchNorm(name: "\(name)_bn2", channels: 16, engine: engine),
            ])
            let shortcut =
                projection
                ? Sequential([
                    Conv2D(name: "\(name)_sc", inputChannels: input, outputChannels: 16, kernelSize: 1, bias: false, engine: engine),
                    BatchNorm(name: "\(name)_sc_bn", channels: 16, engine: engine),
                ]) : nil
            return Residual(branch: branch, shortcut: shortcut, engine: engine)
        }
        let graph = Sequential([block("a", input: 4, projection: true), block("b", input: 16, projection: false)])
        var rng = TestRandom(seed: 3)
        randomize(graph.parameters + graph.buffers, &rng)
        let input = try Tensor(plain: rng.uniform(2 * 4 * 9 * 7), dims: [2, 4, 9, 7], engine: engine)
        let expected = try graph.forward(input, mode: .inference).plainValues()
        let fused = Sequential(InferenceFusion.fuse(graph.layers, engine: engine))
        #expect(fused.layers.allSatisfy { $0 is InferenceResidual })
        let actual = try fused.forward(input, mode: .inference).plainValues()
        #expect(maxRelativeDifference(actual, expected) <= 1e-5)
        #expect(expected.contains { $0 == 0 } && expected.contains { $0 > 0 }, "the final ReLU should clip some outputs")
    }

    /// Without batch norm, fusion only moves the ReLU into the convolution: outputs are unchanged.
    @Test("a network with no batch norm computes the same outputs")
    func noBatchNormUnchanged() throws {
        let engine = try CPUEngine()
        let pool = MaxPool2D(kernelSize: 2, stride: 2, engine: engine)
        let graph = Sequential([
            Conv2D(name: "c1", inputChannels: 3, outputChannels: 16, kernelSize: 3, padding: 1, engine: engine), ReLU(engine: engine), pool,
            Conv2D(name: "c2", inputChannels: 16, outputChannels: 8, kernelSize: 3, dilation: 2, engine: engine),
        ])
        var rng = TestRandom(seed: 4)
        randomize(graph.parameters, &rng)
        let input = try Tensor(plain: rng.uniform(2 * 3 * 20 * 20), dims: [2, 3, 20, 20], engine: engine)
        let expected = try graph.forward(input, mode: .inference).plainValues()
        let fused = InferenceFusion.fuse(graph.layers, engine: engine)
        #expect(fused.count == 3)
        #expect((fused[0] as? InferenceConv2D)?.postOps == .relu)
        #expect(fused[1] === pool)
        #expect((fused[2] as? InferenceConv2D)?.postOps == InferenceConv2D.PostOps.none)
        expectClose(try Sequential(fused).forward(input, mode: .inference).plainValues(), expected, atol: 1e-6, rtol: 1e-6, "no batch norm")
    }

    /// `ObjectDetector` runs the fused network, whether handed a trained network or loaded from its artifact; its
    /// detections equal decoding the unfused network's outputs.
    @Test("ObjectDetector's detections equal the unfused network's")
    func detectorUsesFusedNetwork() throws {
        let engine = try CPUEngine()
        let network = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: 9, engine: engine)
        var rng = TestRandom(seed: 14)
        let images = (0..<2).map { _ in
            RGBImage(width: 320, height: 240, pixels: (0..<(320 * 240 * 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
        let assembler = ImageBatchAssembler(imageSize: 300)
        var pixels = [Float](repeating: 0, count: images.count * assembler.floatsPerImage)
        pixels.withUnsafeMutableBufferPointer { buffer in
            for (i, image) in images.enumerated() {
                var unused = SeededGenerator(seed: 0)
                let slice = UnsafeMutableBufferPointer(rebasing: buffer[(i * assembler.floatsPerImage)..<((i + 1) * assembler.floatsPerImage)])
                _ = assembler.prepare(image, boxes: [], random: &unused, into: slice)
            }
        }
        let batch = try Tensor(plain: pixels, dims: [images.count, 3, 300, 300], engine: engine)
        try randomizeInferenceState(network, images: batch, seed: 13)
        let unfused = try network.forward(batch, mode: .inference)
        let expected = DetectionDecoder(anchors: network.defaultBoxes(imageShape: 300))(
            locations: unfused.locations,
            classLogits: unfused.classLogits
        )

        let detector = ObjectDetector(network: network, imageShape: 300, hyperparameters: [:])
        let actual = try detector.detect(images)
        expectSameDetections(actual, expected)
        // Prepared one by one (as the endpoint's requests do) and batched: the same detections, bit for bit.
        #expect(try detector.detect(images.map(detector.prepare)) == actual)
        expectSameDetections(try detector.detect([detector.prepare(images[1])]), [actual[1]])

        // Loaded from the artifact (a fresh engine, network and fusion): the same detections, bit for bit.
        let artifact = ModelArtifact(hyperparameters: [:], symbol: network.symbol(imageShape: 300), weights: network.weights())
        #expect(try ObjectDetector(archive: artifact.archive(), engine: CPUEngine()).detect(images) == actual)
    }
}

/// Each image has the same detections, in any order among near-ties: every expected one matches an unused actual
/// one of its class within 1e-4 in score and corners.
private func expectSameDetections(_ actual: [[Detection]], _ expected: [[Detection]], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.map(\.count) == expected.map(\.count), sourceLocation: sourceLocation)
    #expect(expected.allSatisfy { !$0.isEmpty }, "no detections to compare", sourceLocation: sourceLocation)
    for (got, want) in zip(actual, expected) {
        var unused = got
        for detection in want {
            let match = unused.firstIndex { candidate in
                candidate.classID == detection.classID && abs(candidate.score - detection.score) <= 1e-4
                    && zip(candidate.box.corners, detection.box.corners).allSatisfy { abs($0 - $1) <= 1e-4 }
            }
            #expect(match != nil, "no match for \(detection)", sourceLocation: sourceLocation)
            if let match { unused.remove(at: match) }
        }
    }
}

extension BoundingBox {
    fileprivate var corners: [Float] { [xmin, ymin, xmax, ymax] }
}

/// `max |a − b| / max |b|`: the largest difference relative to the reference's largest magnitude.
private func maxRelativeDifference(_ actual: [Float], _ expected: [Float]) -> Float {
    precondition(actual.count == expected.count)
    let scale = expected.reduce(0) { max($0, abs($1)) }
    return zip(actual, expected).reduce(0) { max($0, abs($1.0 - $1.1)) } / max(scale, .leastNormalMagnitude)
}

/// Non-trivial values for every parameter and statistic: γ ∈ [0.5, 1.5], β, biases and running means in
/// ±0.2, running variances in [0.5, 1.5]; weights left at zero (layers built by hand) get ±0.3, others stay.
private func randomize(_ tensors: [Parameter], _ rng: inout TestRandom) {
    for tensor in tensors {
        let name = tensor.name
        for i in 0..<tensor.count {
            let u = rng.uniform()
            if name.hasSuffix(".gamma") || name.hasSuffix(".running_var") {
                tensor.value[i] = 1 + 0.5 * u
            } else if name.hasSuffix(".beta") || name.hasSuffix(".bias") || name.hasSuffix(".running_mean") {
                tensor.value[i] = 0.2 * u
            } else if name.hasSuffix(".weight"), tensor.value[i] == 0 {
                tensor.value[i] = 0.3 * u
            }
        }
    }
}

/// Random batch-norm state and biases; then head weights scaled so the largest prediction on `images` is 8 in
/// magnitude (random statistics make ResNet-50's activations grow to ~10⁴), so that class scores differ clearly
/// without saturating and detections do not hinge on rounding.
private func randomizeInferenceState(_ network: SSDNetwork, images: Tensor, seed: UInt64) throws {
    var rng = TestRandom(seed: seed)
    randomize(network.stateTensors, &rng)
    let (locations, logits) = try network.forward(images, mode: .inference)
    let scale = 8 / (locations + logits).reduce(0) { max($0, abs($1)) }
    for parameter in network.parameters where parameter.name.hasSuffix("_pred_conv.weight") {
        for i in 0..<parameter.count { parameter.value[i] *= scale }
    }
}

/// Every layer of the stages, looking inside sequences and fused residual blocks.
private func flattened(_ layers: [any Layer]) -> [any Layer] {
    layers.flatMap { layer -> [any Layer] in
        switch layer {
        case let sequential as Sequential: flattened(sequential.layers)
        case let residual as InferenceResidual: flattened([residual.branch, residual.last] + (residual.shortcut.map { [$0] } ?? []))
        default: [layer]
        }
    }
}
