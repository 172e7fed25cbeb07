/// Naive, obviously-correct kernels: the algorithmic reference every fast kernel is tested against.
/// Never used on a hot path.
public enum ReferenceKernels {
    /// Direct convolution, NCHW input, OIHW weights, NCHW output (see `Conv2DGeometry`).
    public static func conv2DForward(_ g: Conv2DGeometry, input: [Float], weights: [Float], bias: [Float]) -> [Float] {
        var output = [Float](repeating: 0, count: g.outputDims.reduce(1, *))
        for n in 0..<g.batch {
            for o in 0..<g.outputChannels {
                for oy in 0..<g.outputHeight {
                    for ox in 0..<g.outputWidth {
                        var sum = bias[o]
                        for c in 0..<g.inputChannels {
                            for ky in 0..<g.kernelSize {
                                let iy = oy * g.stride - g.padding + ky * g.dilation
                                guard iy >= 0 && iy < g.height else { continue }
                                for kx in 0..<g.kernelSize {
                                    let ix = ox * g.stride - g.padding + kx * g.dilation
                                    guard ix >= 0 && ix < g.width else { continue }
                                    let inputIndex = ((n * g.inputChannels + c) * g.height + iy) * g.width + ix
                                    let weightIndex = ((o * g.inputChannels + c) * g.kernelSize + ky) * g.kernelSize + kx
                                    sum += input[inputIndex] * weights[weightIndex]
                                }
                            }
                        }
                        output[((n * g.outputChannels + o) * g.outputHeight + oy) * g.outputWidth + ox] = sum
                    }
                }
            }
        }
        return output
    }
}
