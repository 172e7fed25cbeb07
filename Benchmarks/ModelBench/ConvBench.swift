import Dispatch
import ModelCore

/// `model-bench conv`: GFLOP/s of the Conv2D layer (oneDNN, blocked layouts) forward, backward-data and
/// backward-weights on representative SSD shapes (batch 16), median of 7 runs after a warm-up, one JSON line each.
func convBench() throws {
    let engine = try CPUEngine()
    let shapes: [(channels: Int, outputs: Int, size: Int)] = [(32, 32, 75), (64, 64, 38), (128, 128, 19), (256, 256, 19), (512, 512, 10)]
    var random = SeededGenerator(seed: 3)
    for shape in shapes {
        let conv = Conv2D(name: "c", inputChannels: shape.channels, outputChannels: shape.outputs, kernelSize: 3, padding: 1, engine: engine)
        for i in 0..<conv.weight.count { conv.weight.value[i] = random.nextUniform() - 0.5 }
        let dims = [16, shape.channels, shape.size, shape.size]
        let input = try Tensor(plain: (0..<dims.reduce(1, *)).map { _ in random.nextUniform() - 0.5 }, dims: dims, engine: engine)
        let gradientDims = conv.outputDims(for: dims)
        let gradient = try Tensor(plain: [Float](repeating: 0.01, count: gradientDims.reduce(1, *)), dims: gradientDims, engine: engine)
        let flops = conv.geometry(for: dims).flops
        func median(_ body: () throws -> Void) rethrows -> Double {
            try body()
            var times: [Double] = []
            for _ in 0..<7 {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return times.sorted()[3]
        }
        let forward = try median { _ = try conv.forward(input, mode: .training) }
        // Backward computes data and weight gradients (each as many FLOPs as forward) plus the weight reorders.
        let backward = try median { _ = try conv.backward(gradient) }
        print(
            #"{"impl": "apiary", "conv": "\#(shape.channels)->\#(shape.outputs) 3x3 @\#(shape.size)x\#(shape.size) batch 16", "forward_gflops": \#(flops / forward / 1e9), "backward_gflops": \#(2 * flops / backward / 1e9)}"#
        )
    }
}
