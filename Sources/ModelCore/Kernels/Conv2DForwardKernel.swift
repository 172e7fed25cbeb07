import CDNNL

/// A oneDNN convolution forward primitive for one fixed geometry.
///
/// The primitive is created with `format_tag_any`, so oneDNN picks the blocked layouts that run fastest on
/// this CPU; plain NCHW arrays are reordered in and out at the edges. Build it once, run it many times.
public final class Conv2DForwardKernel {
    public let geometry: Conv2DGeometry
    private let engine: CPUEngine
    private let primitive: dnnl_primitive_t
    private let source: DNNLMemory
    private let weights: DNNLMemory
    private let bias: DNNLMemory
    private let destination: DNNLMemory

    /// Creates the primitive and its memories.
    /// - Parameters:
    ///   - geometry: the convolution's shape.
    ///   - engine: the engine and stream to run on.
    public init(_ geometry: Conv2DGeometry, engine: CPUEngine) throws {
        self.geometry = geometry
        self.engine = engine
        var src = try DNNLMemory.descriptor(geometry.inputDims, dnnl_format_tag_any)
        var wei = try DNNLMemory.descriptor(geometry.weightDims, dnnl_format_tag_any)
        var bia = try DNNLMemory.descriptor([geometry.outputChannels], dnnl_x)
        var dst = try DNNLMemory.descriptor(geometry.outputDims, dnnl_format_tag_any)
        let strides: [Int64] = [Int64(geometry.stride), Int64(geometry.stride)]
        let dilates: [Int64] = [Int64(geometry.dilation - 1), Int64(geometry.dilation - 1)]
        let padding: [Int64] = [Int64(geometry.padding), Int64(geometry.padding)]
        var desc = dnnl_convolution_desc_t()
        try dnnlCheck(
            dnnl_dilated_convolution_forward_desc_init(
                &desc,
                dnnl_forward_inference,
                dnnl_convolution_direct,
                &src,
                &wei,
                &bia,
                &dst,
                strides,
                dilates,
                padding,
                padding
            ),
            "describe convolution \(geometry)"
        )
        var pd: dnnl_primitive_desc_t?
        try dnnlCheck(dnnl_primitive_desc_create(&pd, &desc, nil, engine.engine, nil), "create convolution forward")
        defer { dnnl_primitive_desc_destroy(pd) }
        source = try DNNLMemory(dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0).pointee, engine: engine)
        weights = try DNNLMemory(dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0).pointee, engine: engine)
        bias = try DNNLMemory(dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 1).pointee, engine: engine)
        destination = try DNNLMemory(dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0).pointee, engine: engine)
        var primitive: dnnl_primitive_t?
        try dnnlCheck(dnnl_primitive_create(&primitive, pd), "create convolution primitive")
        self.primitive = primitive!
    }

    deinit { dnnl_primitive_destroy(primitive) }

    /// Sets the filter weights `[O, C, KH, KW]` and bias `[O]`.
    public func setParameters(weights: [Float], bias: [Float]) throws {
        precondition(weights.count == geometry.weightDims.reduce(1, *), "weights must be \(geometry.weightDims)")
        precondition(bias.count == geometry.outputChannels, "bias must be [\(geometry.outputChannels)]")
        try load(weights, dims: geometry.weightDims, tag: dnnl_oihw, into: self.weights)
        try load(bias, dims: [geometry.outputChannels], tag: dnnl_x, into: self.bias)
    }

    /// Runs the convolution on an NCHW input and returns the NCHW output.
    /// - Parameter input: `[N, C, H, W]` floats.
    /// - Returns: `[N, O, OH, OW]` floats.
    public func forward(_ input: [Float]) throws -> [Float] {
        precondition(input.count == geometry.inputDims.reduce(1, *), "input must be \(geometry.inputDims)")
        try load(input, dims: geometry.inputDims, tag: dnnl_nchw, into: source)
        let args = [
            dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: source.handle),
            dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: weights.handle),
            dnnl_exec_arg_t(arg: DNNL_ARG_BIAS, memory: bias.handle),
            dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: destination.handle),
        ]
        try dnnlCheck(dnnl_primitive_execute(primitive, engine.stream, Int32(args.count), args), "run convolution forward")
        try engine.wait()
        return try read(destination, dims: geometry.outputDims, tag: dnnl_nchw)
    }

    /// Copies a plain array into `memory`, reordering when the primitive chose another layout.
    private func load(_ values: [Float], dims: [Int], tag: dnnl_format_tag_t, into memory: DNNLMemory) throws {
        let plain = try DNNLMemory(DNNLMemory.descriptor(dims, tag), engine: engine)
        values.withUnsafeBytes { plain.pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        if DNNLMemory.sameLayout(plain.descriptor, memory.descriptor) {
            memory.pointer.copyMemory(from: plain.pointer, byteCount: plain.byteCount)
        } else {
            try plain.reorder(into: memory)
        }
    }

    /// Copies `memory` out into a plain array.
    private func read(_ memory: DNNLMemory, dims: [Int], tag: dnnl_format_tag_t) throws -> [Float] {
        let plain = try DNNLMemory(DNNLMemory.descriptor(dims, tag), engine: engine)
        if DNNLMemory.sameLayout(plain.descriptor, memory.descriptor) {
            plain.pointer.copyMemory(from: memory.pointer, byteCount: plain.byteCount)
        } else {
            try memory.reorder(into: plain)
        }
        let count = dims.reduce(1, *)
        return Array(UnsafeBufferPointer(start: plain.pointer.assumingMemoryBound(to: Float.self), count: count))
    }
}
