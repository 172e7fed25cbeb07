/// Max pooling over square windows of `[N, C, H, W]`.
///
/// `ceilMode` rounds the output size up, as VGG-SSD's pool3 needs (75 → 38): the extra bottom/right window
/// is padded on the high side only, and padding never wins a max.
public final class MaxPool2D: Layer {
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let ceilMode: Bool

    private var kernels = PlanCache<[Int], MaxPoolingKernel>()

    public init(kernelSize: Int, stride: Int, padding: Int = 0, ceilMode: Bool = false, engine: CPUEngine) {
        precondition(kernelSize > 0 && stride > 0 && padding >= 0 && padding < kernelSize)
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.ceilMode = ceilMode
    }

    public var parameters: [Parameter] { [] }

    /// Output extent and high-side padding for an input extent.
    func outputSize(_ extent: Int) -> (size: Int, highPadding: Int) {
        let span = extent + 2 * padding - kernelSize
        var size = span / stride + 1
        if ceilMode, span % stride != 0, (size * stride) < extent + padding { size += 1 }
        let highPadding = (size - 1) * stride + kernelSize - extent - padding
        return (size, highPadding)
    }

    public func outputDims(for inputDims: [Int]) -> [Int] {
        [inputDims[0], inputDims[1], outputSize(inputDims[2]).size, outputSize(inputDims[3]).size]
    }

    public func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor {
        try kernels.plan(for: input.dims, mode: mode) {
            precondition(input.dims.count == 4, "max pool expects [N, C, H, W], got \(input.dims)")
            let (height, highHeight) = outputSize(input.dims[2])
            let (width, highWidth) = outputSize(input.dims[3])
            return try MaxPoolingKernel(
                for: input, outputSize: (height, width), kernelSize: kernelSize, stride: stride, lowPadding: padding,
                highPadding: (highHeight, highWidth))
        }.forward(input, mode: mode)
    }

    public func backward(_ outputGradient: Tensor) throws -> Tensor? {
        try kernels.trainingPlan("MaxPool2D").backward(outputGradient)
    }
}
