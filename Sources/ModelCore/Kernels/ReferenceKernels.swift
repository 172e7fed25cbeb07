/// Naive, obviously-correct kernels: the algorithmic reference every fast kernel is tested against.
/// Plain row-major buffers (NCHW activations, OIHW weights). Never used on a hot path.
public enum ReferenceKernels {
    /// Visits every (output position, input position, weight) triple of a convolution.
    private static func forEachTap(
        _ g: Conv2DGeometry,
        _ body: (_ outputIndex: Int, _ inputIndex: Int, _ weightIndex: Int) -> Void
    ) {
        for n in 0..<g.batch {
            for o in 0..<g.outputChannels {
                for oy in 0..<g.outputHeight {
                    for ox in 0..<g.outputWidth {
                        let outputIndex = ((n * g.outputChannels + o) * g.outputHeight + oy) * g.outputWidth + ox
                        for c in 0..<g.inputChannels {
                            for ky in 0..<g.kernelSize {
                                let iy = oy * g.stride - g.padding + ky * g.dilation
                                guard iy >= 0 && iy < g.height else { continue }
                                for kx in 0..<g.kernelSize {
                                    let ix = ox * g.stride - g.padding + kx * g.dilation
                                    guard ix >= 0 && ix < g.width else { continue }
                                    let inputIndex = ((n * g.inputChannels + c) * g.height + iy) * g.width + ix
                                    let weightIndex = ((o * g.inputChannels + c) * g.kernelSize + ky) * g.kernelSize + kx
                                    body(outputIndex, inputIndex, weightIndex)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Convolution forward: `[N, C, H, W]` ⊛ `[O, C, K, K]` + `[O]` → `[N, O, OH, OW]`.
    public static func conv2DForward(_ g: Conv2DGeometry, input: [Float], weights: [Float], bias: [Float]?) -> [Float] {
        var output = [Float](repeating: 0, count: g.outputDims.reduce(1, *))
        let plane = g.outputHeight * g.outputWidth
        if let bias {
            for i in output.indices { output[i] = bias[(i / plane) % g.outputChannels] }
        }
        forEachTap(g) { o, i, w in output[o] += input[i] * weights[w] }
        return output
    }

    /// Convolution backward with respect to the input.
    public static func conv2DBackwardData(_ g: Conv2DGeometry, outputGradient: [Float], weights: [Float]) -> [Float] {
        var inputGradient = [Float](repeating: 0, count: g.inputDims.reduce(1, *))
        forEachTap(g) { o, i, w in inputGradient[i] += outputGradient[o] * weights[w] }
        return inputGradient
    }

    /// Convolution backward with respect to weights and bias.
    public static func conv2DBackwardWeights(
        _ g: Conv2DGeometry,
        input: [Float],
        outputGradient: [Float]
    ) -> (weights: [Float], bias: [Float]) {
        var weightsGradient = [Float](repeating: 0, count: g.weightDims.reduce(1, *))
        forEachTap(g) { o, i, w in weightsGradient[w] += outputGradient[o] * input[i] }
        var biasGradient = [Float](repeating: 0, count: g.outputChannels)
        let plane = g.outputHeight * g.outputWidth
        for (i, value) in outputGradient.enumerated() { biasGradient[(i / plane) % g.outputChannels] += value }
        return (weightsGradient, biasGradient)
    }
}
