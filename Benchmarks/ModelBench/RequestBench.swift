import Foundation
import ImageCodec
import ModelCore

/// `model-bench request MODEL_TAR_GZ IMAGE ITERATIONS`: where an InvokeEndpoint's time goes inside the daemon, stage
/// by stage, for a real artifact and a real image — decode (JPEG/PNG; large JPEGs DCT-scaled, as the endpoint
/// decodes them), prepare (resize + normalise), network (fused forward pass), decode + NMS, and the response JSON.
/// One core of work per stage, medians in ms, as one JSON line; also the number of candidates and detections and
/// the response's size, since they scale the last two stages.
func requestBench(model: String, image: String, iterations: Int) throws {
    let artifact = try ModelArtifact(archive: Array(try Data(contentsOf: URL(fileURLWithPath: model))))
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: image)))
    let engine = try CPUEngine()
    let network = try SSDNetwork(baseNetwork: artifact.symbol.baseNetwork, classes: artifact.symbol.numClasses, seed: 0, engine: engine)
    try network.load(weights: artifact.weights)
    let size = artifact.symbol.imageShape
    let fused = InferenceNetwork(fusing: network)
    let decoder = DetectionDecoder(anchors: network.defaultBoxes(imageShape: size), hyperparameters: artifact.hyperparameters)
    let assembler = ImageBatchAssembler(imageSize: size)
    let detector = try ObjectDetector(artifact: artifact, engine: engine)

    let original = try ImageDecoder.decode(bytes)
    var decoded = try ImageDecoder.decodeUpright(bytes, minimumSide: size)
    var pixels = assembler.assemble([(decoded, [])]).pixels
    var outputs = try fused.forward(try Tensor(plain: pixels, dims: [1, 3, size, size], engine: engine))
    var detections = decoder(locations: outputs.locations, classLogits: outputs.classLogits)[0]
    var json = ObjectDetector.predictionJSON(detections)
    var times: [String: [Double]] = [:]
    func time(_ stage: String, _ body: () throws -> Void) rethrows { times[stage, default: []].append(try seconds(body)) }
    for _ in 0..<iterations {
        try time("decode_ms") { decoded = try ImageDecoder.decodeUpright(bytes, minimumSide: size) }
        time("prepare_ms") { pixels = assembler.assemble([(decoded, [])]).pixels }
        try time("network_ms") { outputs = try fused.forward(try Tensor(plain: pixels, dims: [1, 3, size, size], engine: engine)) }
        time("nms_ms") { detections = decoder(locations: outputs.locations, classLogits: outputs.classLogits)[0] }
        time("json_ms") { json = ObjectDetector.predictionJSON(detections) }
        try time("detector_total_ms") { _ = try detector.detect([detector.prepare(try ImageDecoder.decodeUpright(bytes, minimumSide: size))]) }
    }
    // Candidates for suppression: anchors whose object probability reaches the decoder's score threshold.
    let width = outputs.classLogits.count / (outputs.locations.count / 4)
    let candidates = stride(from: 0, to: outputs.classLogits.count, by: width).reduce(0) { count, row in
        let logits = outputs.classLogits[row..<(row + width)]
        let largest = logits.max()!
        let sum = logits.reduce(Float(0)) { $0 + exp($1 - largest) }
        return count + logits.dropFirst().filter { exp($0 - largest) / sum >= decoder.scoreThreshold }.count
    }
    var fields = [
        #""impl": "apiary""#, #""base_network": "\#(artifact.symbol.baseNetwork)""#, #""image": "\#(original.width)x\#(original.height)""#,
        #""decoded": "\#(decoded.width)x\#(decoded.height)""#,
        #""image_bytes": \#(bytes.count)"#, #""candidates": \#(candidates)"#, #""detections": \#(detections.count)"#, #""response_bytes": \#(json.count)"#,
    ]
    for (stage, values) in times.sorted(by: { $0.key < $1.key }) {
        fields.append(#""\#(stage)": \#((values.sorted()[values.count / 2] * 1e5).rounded() / 100)"#)
    }
    print("{" + fields.joined(separator: ", ") + "}")
}

/// `model-bench upscale IN OUT WIDTH HEIGHT`: writes IN resized to WIDTH×HEIGHT as a quality-92 JPEG (a PNG when OUT
/// ends in .png) — a stand-in for a phone photo (e.g. 4032×3024) when measuring what a large upload costs outside the
/// model, or a small copy of a large drawing to look at.
func upscaleImage(_ input: String, _ output: String, width: Int, height: Int) throws {
    let image = ImageResizer.resize(try ImageDecoder.decode(Array(try Data(contentsOf: URL(fileURLWithPath: input)))), width: width, height: height)
    let bytes = output.hasSuffix(".png") ? try PNGCodec.encode(image) : try JPEGCodec.encode(image, quality: 92)
    try Data(bytes).write(to: URL(fileURLWithPath: output))
}
