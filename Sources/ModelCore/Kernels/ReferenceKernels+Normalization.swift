extension ReferenceKernels {
    /// Batch norm forward in training mode over `[N, C, H, W]`; returns the output and the batch's mean and
    /// biased variance per channel.
    public static func batchNormForward(
        input: [Float],
        dims: [Int],
        scale: [Float],
        shift: [Float],
        epsilon: Float
    ) -> (output: [Float], mean: [Float], variance: [Float]) {
        let (n, c, plane) = (dims[0], dims[1], dims[2] * dims[3])
        let count = Double(n * plane)
        var mean = [Float](repeating: 0, count: c)
        var variance = [Float](repeating: 0, count: c)
        var output = input
        for ch in 0..<c {
            let indices = (0..<n).flatMap { b in (0..<plane).map { (b * c + ch) * plane + $0 } }
            let mu = indices.reduce(0.0) { $0 + Double(input[$1]) } / count
            let sigma2 = indices.reduce(0.0) { $0 + (Double(input[$1]) - mu) * (Double(input[$1]) - mu) } / count
            mean[ch] = Float(mu)
            variance[ch] = Float(sigma2)
            let invStd = 1 / (sigma2 + Double(epsilon)).squareRoot()
            for i in indices { output[i] = Float((Double(input[i]) - mu) * invStd) * scale[ch] + shift[ch] }
        }
        return (output, mean, variance)
    }

    /// Batch norm backward (training statistics): gradients for input, scale and shift.
    public static func batchNormBackward(
        input: [Float],
        dims: [Int],
        outputGradient: [Float],
        scale: [Float],
        epsilon: Float
    ) -> (input: [Float], scale: [Float], shift: [Float]) {
        let (n, c, plane) = (dims[0], dims[1], dims[2] * dims[3])
        let count = Double(n * plane)
        var inputGradient = input
        var scaleGradient = [Float](repeating: 0, count: c)
        var shiftGradient = [Float](repeating: 0, count: c)
        for ch in 0..<c {
            let indices = (0..<n).flatMap { b in (0..<plane).map { (b * c + ch) * plane + $0 } }
            let mu = indices.reduce(0.0) { $0 + Double(input[$1]) } / count
            let sigma2 = indices.reduce(0.0) { $0 + (Double(input[$1]) - mu) * (Double(input[$1]) - mu) } / count
            let invStd = 1 / (sigma2 + Double(epsilon)).squareRoot()
            var sumDy = 0.0
            var sumDyXhat = 0.0
            for i in indices {
                let xhat = (Double(input[i]) - mu) * invStd
                sumDy += Double(outputGradient[i])
                sumDyXhat += Double(outputGradient[i]) * xhat
            }
            scaleGradient[ch] = Float(sumDyXhat)
            shiftGradient[ch] = Float(sumDy)
            for i in indices {
                let xhat = (Double(input[i]) - mu) * invStd
                let g = Double(scale[ch]) * invStd / count
                inputGradient[i] = Float(g * (count * Double(outputGradient[i]) - sumDy - xhat * sumDyXhat))
            }
        }
        return (inputGradient, scaleGradient, shiftGradient)
    }

    /// ReLU forward.
    public static func reluForward(_ input: [Float]) -> [Float] { input.map { max($0, 0) } }

    /// ReLU backward: the gradient passes where the input was positive.
    public static func reluBackward(input: [Float], outputGradient: [Float]) -> [Float] {
        zip(input, outputGradient).map { $0 > 0 ? $1 : 0 }
    }

    /// Max pooling forward and the index of each output's winning input (first maximum in the window).
    public static func maxPoolForward(
        input: [Float],
        dims: [Int],
        kernelSize: Int,
        stride: Int,
        padding: Int,
        outputHeight: Int,
        outputWidth: Int
    ) -> (output: [Float], argmax: [Int]) {
        let (n, c, h, w) = (dims[0], dims[1], dims[2], dims[3])
        var output = [Float](repeating: 0, count: n * c * outputHeight * outputWidth)
        var argmax = [Int](repeating: -1, count: output.count)
        for plane in 0..<(n * c) {
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    var best = -Float.infinity
                    var bestIndex = -1
                    for ky in 0..<kernelSize {
                        let iy = oy * stride - padding + ky
                        guard iy >= 0 && iy < h else { continue }
                        for kx in 0..<kernelSize {
                            let ix = ox * stride - padding + kx
                            guard ix >= 0 && ix < w else { continue }
                            let index = (plane * h + iy) * w + ix
                            if input[index] > best {
                                best = input[index]
                                bestIndex = index
                            }
                        }
                    }
                    let o = (plane * outputHeight + oy) * outputWidth + ox
                    output[o] = best
                    argmax[o] = bestIndex
                }
            }
        }
        return (output, argmax)
    }

    /// Max pooling backward: each output's gradient goes to its winning input.
    public static func maxPoolBackward(argmax: [Int], outputGradient: [Float], inputCount: Int) -> [Float] {
        var inputGradient = [Float](repeating: 0, count: inputCount)
        for (o, index) in argmax.enumerated() { inputGradient[index] += outputGradient[o] }
        return inputGradient
    }
}
