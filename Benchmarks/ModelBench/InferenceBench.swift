import ModelCore

/// `model-bench inference BASE_NETWORK IMAGE_SHAPE BATCH ITERATIONS`: inference latency of the training graph run
/// in inference mode (unfused: convolution, then batch norm + ReLU, separate residual add and ReLU) against
/// `InferenceNetwork` (fused), alternating in one process — which goes first alternates too — so machine noise
/// hits both alike. Prints the medians, their ratio and the median of the per-iteration ratios (robust to load
/// that changes during the run) as one JSON line.
func inferenceBench(_ base: String, size: Int, batch: Int, iterations: Int) throws {
    let engine = try CPUEngine()
    let network = try SSDNetwork(baseNetwork: base, classes: 1, seed: 1, engine: engine)
    let fused = InferenceNetwork(fusing: network)
    var random = SeededGenerator(seed: 2)
    let images = try Tensor(
        plain: (0..<(batch * 3 * size * size)).map { _ in random.nextUniform() - 0.5 },
        dims: [batch, 3, size, size],
        engine: engine
    )
    let runUnfused = { _ = try network.forward(images, mode: .inference) }
    let runFused = { _ = try fused.forward(images) }
    for _ in 0..<2 {
        try runUnfused()
        try runFused()
    }
    var unfusedTimes: [Double] = []
    var fusedTimes: [Double] = []
    for i in 0..<iterations {
        if i % 2 == 0 {
            unfusedTimes.append(try seconds(runUnfused))
            fusedTimes.append(try seconds(runFused))
        } else {
            fusedTimes.append(try seconds(runFused))
            unfusedTimes.append(try seconds(runUnfused))
        }
    }
    let unfused = unfusedTimes.sorted()[iterations / 2]
    let fusedMedian = fusedTimes.sorted()[iterations / 2]
    let pairedSpeedup = zip(unfusedTimes, fusedTimes).map { $0 / $1 }.sorted()[iterations / 2]
    print(
        #"{"impl": "apiary", "base_network": "\#(base)", "image_shape": \#(size), "batch": \#(batch), "iterations": \#(iterations), "unfused_ms": \#(unfused * 1000), "fused_ms": \#(fusedMedian * 1000), "fused_speedup": \#(unfused / fusedMedian), "paired_speedup": \#(pairedSpeedup)}"#
    )
}
