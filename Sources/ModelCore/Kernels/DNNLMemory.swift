import CDNNL

/// A oneDNN memory object: a descriptor (shape, data type, layout) plus a buffer the library owns.
///
/// Activations stay in the layout a primitive asks for (often a blocked one such as `nChw16c`); only
/// `copy(from:)`/`toArray()` cross into plain Swift arrays, through a reorder when the layouts differ.
final class DNNLMemory {
    let handle: dnnl_memory_t
    var descriptor: dnnl_memory_desc_t
    unowned let engine: CPUEngine

    /// Allocates memory for `descriptor` on `engine`.
    init(_ descriptor: dnnl_memory_desc_t, engine: CPUEngine) throws {
        var descriptor = descriptor
        var handle: dnnl_memory_t?
        try dnnlCheck(dnnl_memory_create(&handle, &descriptor, engine.engine, ck_dnnl_memory_allocate()), "allocate memory")
        self.handle = handle!
        self.descriptor = descriptor
        self.engine = engine
    }

    deinit { dnnl_memory_destroy(handle) }

    /// Size of the buffer in bytes, padding of blocked layouts included.
    var byteCount: Int { dnnl_memory_desc_get_size(&descriptor) }

    /// The raw buffer, valid while this object lives.
    var pointer: UnsafeMutableRawPointer {
        var data: UnsafeMutableRawPointer?
        dnnl_memory_get_data_handle(handle, &data)
        return data!
    }

    /// A plain-layout float descriptor.
    /// - Parameters:
    ///   - dims: logical dimensions, e.g. `[N, C, H, W]`.
    ///   - tag: the layout, e.g. `dnnl_nchw`, or `dnnl_format_tag_any` to let a primitive choose.
    static func descriptor(_ dims: [Int], _ tag: dnnl_format_tag_t) throws -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        let dims64 = dims.map(Int64.init)
        try dnnlCheck(dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), dims64, dnnl_f32, tag), "describe memory \(dims)")
        return md
    }

    /// Whether two descriptors describe the same layout.
    static func sameLayout(_ a: dnnl_memory_desc_t, _ b: dnnl_memory_desc_t) -> Bool {
        var a = a
        var b = b
        return dnnl_memory_desc_equal(&a, &b) != 0
    }

    /// Copies this memory into `destination`, converting layout with a oneDNN reorder.
    func reorder(into destination: DNNLMemory) throws {
        var pd: dnnl_primitive_desc_t?
        try dnnlCheck(
            dnnl_reorder_primitive_desc_create(&pd, &descriptor, engine.engine, &destination.descriptor, engine.engine, nil),
            "create reorder"
        )
        defer { dnnl_primitive_desc_destroy(pd) }
        var primitive: dnnl_primitive_t?
        try dnnlCheck(dnnl_primitive_create(&primitive, pd), "create reorder primitive")
        defer { dnnl_primitive_destroy(primitive) }
        let args = [
            dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: handle),
            dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: destination.handle),
        ]
        try dnnlCheck(dnnl_primitive_execute(primitive, engine.stream, Int32(args.count), args), "run reorder")
        try engine.wait()
    }
}
