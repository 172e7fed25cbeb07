import CDNNL

/// Channels-last (NHWC) tensors, where each pixel's channels are contiguous: the order of the Swift loops
/// oneDNN has no primitive for (L2 normalization) and of SSD's per-anchor predictions.
final class ChannelsLastBuffer {
    private let engine: CPUEngine
    private var memory: DNNLMemory?

    init(engine: CPUEngine) { self.engine = engine }

    /// A tensor of `dims` in NHWC order owned by this buffer: reused while `dims` stay the same, so valid
    /// until the next call with other dimensions.
    func tensor(_ dims: [Int]) throws -> Tensor {
        if memory?.dims != dims { memory = try DNNLMemory(DNNLMemory.descriptor(dims, dnnl_nhwc), engine: engine) }
        return Tensor(memory!)
    }
}

extension LayoutAdapter {
    /// `tensor` in NHWC order: the tensor itself when it already is, else a copy valid until the next call.
    func channelsLast(_ tensor: Tensor) throws -> Tensor {
        Tensor(try adapt(tensor.memory, to: DNNLMemory.descriptor(tensor.dims, dnnl_nhwc)))
    }
}
