/// Scaled L2 normalization across channels, `y[c] = s[c] · x[c] / ‖x‖` at every pixel — SSD's treatment of
/// VGG's conv4_3, whose activations are much larger than the deeper maps' (Liu et al. 2016, after ParseNet).
///
/// oneDNN has no such primitive; the input is reordered to NHWC so each pixel's channels are contiguous and
/// the loops vectorise. `s` starts at 20, as in the SSD paper.
public final class L2Normalization: Layer {
    public let scale: Parameter
    public let channels: Int
    private let epsilon: Float = 1e-10
    private let inputAdapter: LayoutAdapter
    private var savedInput: Tensor?
    private var savedNorms: [Float] = []
    private let output: ChannelsLastBuffer
    private let inputGradient: ChannelsLastBuffer
    private let gradientAdapter: LayoutAdapter

    public init(name: String, channels: Int, initialScale: Float = 20, engine: CPUEngine) {
        self.channels = channels
        scale = Parameter(name: "\(name).scale", dims: [channels])
        scale.assign([Float](repeating: initialScale, count: channels))
        inputAdapter = LayoutAdapter(engine: engine)
        gradientAdapter = LayoutAdapter(engine: engine)
        output = ChannelsLastBuffer(engine: engine)
        inputGradient = ChannelsLastBuffer(engine: engine)
    }

    public var parameters: [Parameter] { [scale] }

    public func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor {
        let dims = input.dims
        precondition(dims.count == 4 && dims[1] == channels, "L2 normalization expects [N, \(channels), H, W], got \(dims)")
        let x = try inputAdapter.channelsLast(input)
        let y = try output.tensor(dims)
        let pixels = dims[0] * dims[2] * dims[3]
        if savedNorms.count != pixels { savedNorms = [Float](repeating: 0, count: pixels) }
        let source = x.values
        let destination = y.values
        for p in 0..<pixels {
            let row = p * channels
            var sumOfSquares: Float = 0
            for c in 0..<channels { sumOfSquares += source[row + c] * source[row + c] }
            let norm = (sumOfSquares + epsilon).squareRoot()
            savedNorms[p] = norm
            let inverse = 1 / norm
            for c in 0..<channels { destination[row + c] = source[row + c] * inverse * scale.value[c] }
        }
        savedInput = mode == .training ? x : nil
        return y
    }

    /// With r = ‖x‖: ∂L/∂x_j = s_j g_j / r − x_j (Σ_c s_c g_c x_c) / r³ and ∂L/∂s_c = Σ_pixels g_c x_c / r.
    public func backward(_ outputGradient: Tensor) throws -> Tensor? {
        guard let savedInput else { preconditionFailure("L2Normalization.backward without a training forward pass") }
        let dims = savedInput.dims
        let g = try gradientAdapter.channelsLast(outputGradient).values
        let gradient = try inputGradient.tensor(dims)
        let x = savedInput.values
        let dx = gradient.values
        for c in 0..<channels { scale.gradient[c] = 0 }
        for p in 0..<savedNorms.count {
            let row = p * channels
            let inverse = 1 / savedNorms[p]
            var projection: Float = 0
            for c in 0..<channels {
                projection += scale.value[c] * g[row + c] * x[row + c]
                scale.gradient[c] += g[row + c] * x[row + c] * inverse
            }
            let correction = projection * inverse * inverse * inverse
            for c in 0..<channels { dx[row + c] = scale.value[c] * g[row + c] * inverse - x[row + c] * correction }
        }
        return gradient
    }
}
