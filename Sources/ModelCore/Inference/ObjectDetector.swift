import Foundation
import ImageCodec

/// A trained detector loaded from `model.tar.gz` (or handed a trained network): images in, SageMaker-shaped
/// detections out.
///
/// Preprocessing follows training's validation path exactly (squash-resize to `image_shape`, ImageNet
/// normalisation); decoding applies `nms_threshold` and `nms_topk` from the artifact's `hyperparams.json`.
/// The network runs in its fused inference form (`InferenceNetwork`: batch norm folded into the convolutions,
/// ReLU and residual sums as post-ops). Thread-safe: concurrent callers are serialised on the network (one
/// forward pass at a time, which already uses every core through oneDNN), and `detect` takes a whole batch for
/// an endpoint's micro-batching.
public final class ObjectDetector: @unchecked Sendable {
    public let symbol: ModelSymbol
    public let hyperparameters: [String: String]
    private let network: InferenceNetwork
    private let decoder: DetectionDecoder
    private let assembler: ImageBatchAssembler
    private let engine: CPUEngine
    private let lock = NSLock()

    /// Rebuilds the network from the artifact and loads its weights strictly.
    /// - Throws: `ArtifactError` when the symbol names an unknown network or the weights do not fit it.
    public convenience init(artifact: ModelArtifact, engine: CPUEngine) throws {
        let symbol = artifact.symbol
        let network: SSDNetwork
        do {
            network = try SSDNetwork(
                baseNetwork: symbol.baseNetwork,
                classes: symbol.numClasses,
                seed: 0,
                engine: engine,
                anchorSizes: symbol.anchorSizes
            )
        } catch {
            throw ArtifactError("\(ModelArtifact.symbolFile): \(error)")
        }
        guard network.architecture.anchorsPerCell == symbol.anchorsPerCell else {
            throw ArtifactError(
                "\(ModelArtifact.symbolFile) declares \(symbol.anchorsPerCell) anchors per cell, \(symbol.baseNetwork) has \(network.architecture.anchorsPerCell)"
            )
        }
        guard symbol.imageShape >= 64 else { throw ArtifactError("\(ModelArtifact.symbolFile) has image_shape \(symbol.imageShape)") }
        try network.load(weights: artifact.weights)
        self.init(fusing: network, symbol: symbol, hyperparameters: artifact.hyperparameters)
    }

    /// A detector over a trained network as it is now; later training does not reach the detector.
    /// - Parameters:
    ///   - network: the trained network; its engine becomes the detector's.
    ///   - imageShape: the square input side images are resized to.
    ///   - hyperparameters: `nms_threshold` and `nms_topk` are read from them, with SageMaker's defaults.
    public convenience init(network: SSDNetwork, imageShape: Int, hyperparameters: [String: String]) {
        self.init(fusing: network, symbol: network.symbol(imageShape: imageShape), hyperparameters: hyperparameters)
    }

    private init(fusing network: SSDNetwork, symbol: ModelSymbol, hyperparameters: [String: String]) {
        self.symbol = symbol
        self.hyperparameters = hyperparameters
        self.network = InferenceNetwork(fusing: network)
        engine = network.engine
        decoder = DetectionDecoder(anchors: network.defaultBoxes(imageShape: symbol.imageShape), hyperparameters: hyperparameters)
        assembler = ImageBatchAssembler(imageSize: symbol.imageShape)
    }

    /// Loads a `model.tar.gz` file's bytes.
    public convenience init(archive: [UInt8], engine: CPUEngine) throws {
        try self.init(artifact: ModelArtifact(archive: archive), engine: engine)
    }

    /// Detections for each image: 0-based class ids, scores, corners normalised to `0...1`, best first.
    public func detect(_ images: [RGBImage]) throws -> [[Detection]] {
        guard !images.isEmpty else { return [] }
        return try run(assembler.assemble(images.map { ($0, []) }).pixels, count: images.count)
    }

    /// Resizes and normalises one image to the network's input: the per-image part of `detect`, for callers
    /// that batch on another thread (the endpoint's micro-batcher) to do on their own.
    public func prepare(_ image: RGBImage) -> DetectorInput {
        DetectorInput(pixels: assembler.assemble([(image, [])]).pixels)
    }

    /// Detections for each prepared image, as `detect(_:)` gives them.
    public func detect(_ inputs: [DetectorInput]) throws -> [[Detection]] {
        guard inputs.count > 1 else { return try inputs.first.map { try run($0.pixels, count: 1) } ?? [] }
        var pixels: [Float] = []
        pixels.reserveCapacity(inputs.count * assembler.floatsPerImage)
        for input in inputs { pixels += input.pixels }
        return try run(pixels, count: inputs.count)
    }

    /// The network and the decoder over `count` images' input pixels, one batch at a time.
    private func run(_ pixels: [Float], count: Int) throws -> [[Detection]] {
        try lock.withLock {
            let input = try Tensor(plain: pixels, dims: [count, 3, symbol.imageShape, symbol.imageShape], engine: engine)
            let (locations, logits) = try network.forward(input)
            return decoder(locations: locations, classLogits: logits)
        }
    }

    /// SageMaker's response body: `{"prediction": [[class_id, score, xmin, ymin, xmax, ymax], ...]}`.
    public static func predictionJSON(_ detections: [Detection]) -> [UInt8] {
        // Written straight into one byte buffer: no per-row strings, arrays or joins (a 400-detection answer
        // would otherwise cost more than decoding them).
        var out: [UInt8] = []
        out.reserveCapacity(16 + detections.count * 120)
        out.append(contentsOf: #"{"prediction": ["#.utf8)
        for (i, row) in DetectionDecoder.predictionRows(detections).enumerated() {
            if i > 0 { out.append(contentsOf: ", ".utf8) }
            out.append(UInt8(ascii: "["))
            for (j, value) in row.enumerated() {
                if j > 0 { out.append(contentsOf: ", ".utf8) }
                out.append(contentsOf: Double(value).description.utf8)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }
}

/// An image resized and normalised for an `ObjectDetector` (`3 · S · S` floats, made by `prepare(_:)`).
public struct DetectorInput: Sendable {
    fileprivate let pixels: [Float]
}
