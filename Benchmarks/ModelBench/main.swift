import Foundation
import ModelCore

// model-bench: ModelCore's speed on this machine, printed as JSON lines for bench/run_model_bench.sh.
//   model-bench network BASE_NETWORK IMAGE_SHAPE BATCH ITERATIONS   forward+backward (training) and batch-1 fused inference
//   model-bench inference BASE_NETWORK IMAGE_SHAPE BATCH ITERATIONS inference, unfused vs fused (InferenceBench.swift)
//   model-bench conv                                                Conv2D GFLOP/s forward and backward
//   model-bench preprocess                                          input pipeline time per image (one core)
//   model-bench request MODEL_TAR_GZ IMAGE ITERATIONS               an InvokeEndpoint's stages (RequestBench.swift)
//   model-bench upscale IN OUT WIDTH HEIGHT                         a large JPEG from a small one, for the above
//   model-bench train DIR BASE_NETWORK IMAGE_SHAPE BATCH EPOCHS [k=v…]   a real training run (see TrainBench.swift)
//   model-bench compare A.tar.gz B.tar.gz                          how far two models' weights are apart (WeightComparison.swift)
// Weights are random; only speed is measured.

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func peakRSSMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
    }
    return 0
}

func benchNetwork(_ base: String, size: Int, batch: Int, iterations: Int) throws {
    let engine = try CPUEngine()
    let network = try SSDNetwork(baseNetwork: base, classes: 1, seed: 1, engine: engine)
    var random = SeededGenerator(seed: 2)
    let pixels = (0..<(batch * 3 * size * size)).map { _ in random.nextUniform() - 0.5 }
    let images = try Tensor(plain: pixels, dims: [batch, 3, size, size], engine: engine)
    var (locations, logits) = try network.forward(images, mode: .training)
    let locationGradient = locations.map { _ in random.nextUniform() * 1e-3 }
    let classGradient = logits.map { _ in random.nextUniform() * 1e-3 }
    try network.backward(locationGradient: locationGradient, classGradient: classGradient)
    var times: [Double] = []
    for _ in 0..<iterations {
        times.append(
            try seconds {
                (locations, logits) = try network.forward(images, mode: .training)
                try network.backward(locationGradient: locationGradient, classGradient: classGradient)
            }
        )
    }
    let trainStep = times.sorted()[times.count / 2]
    // Batch-1 inference as Apiary serves it: the fused network (see InferenceBench.swift for fused vs unfused).
    let fused = InferenceNetwork(fusing: network)
    let single = try Tensor(plain: Array(pixels.prefix(3 * size * size)), dims: [1, 3, size, size], engine: engine)
    _ = try fused.forward(single)
    var inference: [Double] = []
    for _ in 0..<max(5, iterations) { inference.append(try seconds { _ = try fused.forward(single) }) }
    let latency = inference.sorted()[inference.count / 2]
    print(
        #"{"impl": "apiary", "base_network": "\#(base)", "image_shape": \#(size), "batch": \#(batch), "train_images_per_s": \#(Double(batch) / trainStep), "train_step_s": \#(trainStep), "inference_batch1_ms": \#(latency * 1000), "peak_rss_mb": \#(peakRSSMegabytes())}"#
    )
}

let arguments = CommandLine.arguments
if arguments.count == 2, arguments[1] == "conv" {
    try convBench()
    exit(0)
}
if arguments.count == 2, arguments[1] == "preprocess" {
    preprocessBench()
    exit(0)
}
if arguments.count == 5, arguments[1] == "request", let iterations = Int(arguments[4]) {
    try requestBench(model: arguments[2], image: arguments[3], iterations: iterations)
    exit(0)
}
if arguments.count == 6, arguments[1] == "upscale", let width = Int(arguments[4]), let height = Int(arguments[5]) {
    try upscaleImage(arguments[2], arguments[3], width: width, height: height)
    exit(0)
}
if arguments.count == 4, arguments[1] == "compare" {
    try compareWeights(arguments[2], arguments[3])
    exit(0)
}
if arguments.count >= 7, arguments[1] == "train" {
    try trainBench(Array(arguments.dropFirst(2)))
    exit(0)
}
guard arguments.count == 6, ["network", "inference"].contains(arguments[1]), let size = Int(arguments[3]), let batch = Int(arguments[4]),
    let iterations = Int(arguments[5])
else {
    FileHandle.standardError.write(Data("usage: model-bench network|inference BASE_NETWORK IMAGE_SHAPE BATCH ITERATIONS\n".utf8))
    exit(2)
}
if arguments[1] == "inference" {
    try inferenceBench(arguments[2], size: size, batch: batch, iterations: iterations)
} else {
    try benchNetwork(arguments[2], size: size, batch: batch, iterations: iterations)
}
