/// What a convolution layer's shape is made of — channels, kernel, stride, padding, dilation — and the geometry
/// and output size that follow from it for an input, shared by the training (`Conv2D`) and inference
/// (`InferenceConv2D`) layers.
public protocol ConvolutionLayer: Layer {
    var inputChannels: Int { get }
    var outputChannels: Int { get }
    var kernelSize: Int { get }
    var stride: Int { get }
    var padding: Int { get }
    var dilation: Int { get }
}

extension ConvolutionLayer {
    /// The geometry for an input of `dims`.
    public func geometry(for dims: [Int]) -> Conv2DGeometry {
        precondition(dims.count == 4 && dims[1] == inputChannels, "conv expects [N, \(inputChannels), H, W], got \(dims)")
        return Conv2DGeometry(
            inputDims: dims,
            outputChannels: outputChannels,
            kernelSize: kernelSize,
            stride: stride,
            padding: padding,
            dilation: dilation
        )
    }

    public func outputDims(for inputDims: [Int]) -> [Int] { geometry(for: inputDims).outputDims }
}
