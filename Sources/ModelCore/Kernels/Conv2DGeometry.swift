/// The shape of a 2-D convolution: batch, channels, spatial size, kernel, stride, padding and dilation.
///
/// Layouts (plain, as Swift arrays see them): input `[N, C, H, W]` (NCHW), weights
/// `[O, C, KH, KW]` (OIHW), bias `[O]`, output `[N, O, OH, OW]`. Padding is symmetric. Dilation follows
/// the usual convention (1 = dense kernel); oneDNN's own convention (0 = dense) is converted at the call.
public struct Conv2DGeometry: Sendable, Equatable {
    public var batch: Int
    public var inputChannels: Int
    public var outputChannels: Int
    public var height: Int
    public var width: Int
    public var kernelSize: Int
    public var stride: Int
    public var padding: Int
    public var dilation: Int

    public init(
        batch: Int,
        inputChannels: Int,
        outputChannels: Int,
        height: Int,
        width: Int,
        kernelSize: Int,
        stride: Int = 1,
        padding: Int = 0,
        dilation: Int = 1
    ) {
        precondition(batch > 0 && inputChannels > 0 && outputChannels > 0, "batch and channels must be positive")
        precondition(kernelSize > 0 && stride > 0 && dilation > 0 && padding >= 0, "invalid kernel \(kernelSize)/\(stride)/\(padding)/\(dilation)")
        self.batch = batch
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.height = height
        self.width = width
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        precondition(outputHeight > 0 && outputWidth > 0, "convolution output would be empty for \(height)×\(width) input")
    }

    /// The geometry of a convolution layer for an input of logical dimensions `[N, C, H, W]`.
    public init(inputDims dims: [Int], outputChannels: Int, kernelSize: Int, stride: Int, padding: Int, dilation: Int) {
        precondition(dims.count == 4, "convolution expects [N, C, H, W], got \(dims)")
        self.init(
            batch: dims[0],
            inputChannels: dims[1],
            outputChannels: outputChannels,
            height: dims[2],
            width: dims[3],
            kernelSize: kernelSize,
            stride: stride,
            padding: padding,
            dilation: dilation
        )
    }

    /// Extent of the dilated kernel in pixels.
    var effectiveKernel: Int { (kernelSize - 1) * dilation + 1 }
    public var outputHeight: Int { (height + 2 * padding - effectiveKernel) / stride + 1 }
    public var outputWidth: Int { (width + 2 * padding - effectiveKernel) / stride + 1 }

    public var inputDims: [Int] { [batch, inputChannels, height, width] }
    public var weightDims: [Int] { [outputChannels, inputChannels, kernelSize, kernelSize] }
    public var outputDims: [Int] { [batch, outputChannels, outputHeight, outputWidth] }

    /// Multiply-adds × 2 for one forward pass.
    public var flops: Double {
        2 * Double(batch * outputChannels * outputHeight * outputWidth) * Double(inputChannels * kernelSize * kernelSize)
    }
}
