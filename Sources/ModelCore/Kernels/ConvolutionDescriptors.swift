import CDNNL

/// oneDNN's operation descriptors for one convolution geometry, every memory layout left to the library
/// (`format_tag_any`): what the training layer (`Conv2D`) and the inference layer (`InferenceConv2D`) build their
/// primitives from.
struct ConvolutionDescriptors {
    private var source: dnnl_memory_desc_t
    private var weights: dnnl_memory_desc_t
    private var bias: dnnl_memory_desc_t
    private var destination: dnnl_memory_desc_t
    private let strides: [Int64]
    private let dilates: [Int64]
    private let padding: [Int64]
    private let geometry: Conv2DGeometry

    /// - Parameter hasBias: without a bias, the bias descriptor is the empty one (no bias operand).
    init(_ g: Conv2DGeometry, hasBias: Bool) throws {
        geometry = g
        source = try DNNLMemory.descriptor(g.inputDims, dnnl_format_tag_any)
        weights = try DNNLMemory.descriptor(g.weightDims, dnnl_format_tag_any)
        destination = try DNNLMemory.descriptor(g.outputDims, dnnl_format_tag_any)
        bias = hasBias ? try DNNLMemory.descriptor([g.outputChannels], dnnl_x) : dnnl_memory_desc_t()
        strides = [Int64(g.stride), Int64(g.stride)]
        dilates = [Int64(g.dilation - 1), Int64(g.dilation - 1)]  // oneDNN counts 0 for a dense kernel
        padding = [Int64(g.padding), Int64(g.padding)]
    }

    /// The forward pass, for training (`dnnl_forward_training`) or inference (`dnnl_forward_inference`), computed
    /// directly or with `dnnl_convolution_winograd`.
    mutating func forward(_ kind: dnnl_prop_kind_t, algorithm: dnnl_alg_kind_t = dnnl_convolution_direct) throws -> dnnl_convolution_desc_t {
        var desc = dnnl_convolution_desc_t()
        try dnnlCheck(
            dnnl_dilated_convolution_forward_desc_init(
                &desc, kind, algorithm, &source, &weights, &bias, &destination, strides, dilates, padding, padding),
            "describe convolution \(geometry)")
        return desc
    }

    /// The gradient with respect to the input, computed directly or with `dnnl_convolution_winograd`.
    mutating func backwardData(algorithm: dnnl_alg_kind_t = dnnl_convolution_direct) throws -> dnnl_convolution_desc_t {
        var desc = dnnl_convolution_desc_t()
        try dnnlCheck(
            dnnl_dilated_convolution_backward_data_desc_init(
                &desc, algorithm, &source, &weights, &destination, strides, dilates, padding, padding),
            "describe convolution backward data \(geometry)")
        return desc
    }

    /// The gradients with respect to the weights and the bias, computed directly or with `dnnl_convolution_winograd`.
    mutating func backwardWeights(algorithm: dnnl_alg_kind_t = dnnl_convolution_direct) throws -> dnnl_convolution_desc_t {
        var desc = dnnl_convolution_desc_t()
        try dnnlCheck(
            dnnl_dilated_convolution_backward_weights_desc_init(
                &desc, algorithm, &source, &weights, &bias, &destination, strides, dilates, padding, padding),
            "describe convolution backward weights \(geometry)")
        return desc
    }

    /// The primitive `make` builds with Winograd's algorithm when `winograd` is asked for and oneDNN implements it for
    /// this CPU and pass (AVX-512 only), else with the direct one.
    static func primitive(winograd: Bool, _ make: (dnnl_alg_kind_t) throws -> DNNLPrimitive) throws -> DNNLPrimitive {
        if winograd {
            do { return try make(dnnl_convolution_winograd) } catch let error as KernelError where error.status == "dnnl_unimplemented" {}
        }
        return try make(dnnl_convolution_direct)
    }
}
