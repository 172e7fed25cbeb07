import CDNNL

/// A oneDNN memory object: a descriptor (shape, data type, layout) plus a buffer.
///
/// The buffer is owned by the library (`DNNL_MEMORY_ALLOCATE`), borrowed from Swift (a `Parameter`'s plain array,
/// whose owner must outlive this object), or lent by the engine's `BufferRecycler` and given back when this object
/// goes. Activations stay in the layout a primitive asks for (often a blocked one such as `nChw8c`); only reorders
/// cross between layouts.
final class DNNLMemory {
    typealias Descriptor = dnnl_memory_desc_t

    let handle: dnnl_memory_t
    let descriptor: dnnl_memory_desc_t
    unowned let engine: CPUEngine
    /// The buffer lent by a recycler, and that recycler (held, so that it outlives the buffers it lent).
    private let lent: (buffer: UnsafeMutableRawPointer, recycler: BufferRecycler)?

    /// Allocates memory for `descriptor` on `engine`, or wraps `buffer` when one is given.
    convenience init(_ descriptor: dnnl_memory_desc_t, engine: CPUEngine, buffer: UnsafeMutableRawPointer? = nil) throws {
        try self.init(descriptor, engine: engine, buffer: buffer, recycler: nil)
    }

    /// Memory for `descriptor` in a buffer of `engine`'s recycler, for a value that lives for part of a step. The
    /// buffer holds what its last user left, except that a blocked layout's padding is zeroed, as oneDNN requires.
    static func recycled(_ descriptor: dnnl_memory_desc_t, engine: CPUEngine) throws -> DNNLMemory {
        var md = descriptor
        let byteCount = dnnl_memory_desc_get_size(&md)
        let buffer = engine.recycler.take(byteCount: byteCount)
        let memory: DNNLMemory
        do {
            memory = try DNNLMemory(descriptor, engine: engine, buffer: buffer, recycler: engine.recycler)
        } catch {
            engine.recycler.give(buffer, byteCount: byteCount)
            throw error
        }
        if byteCount != memory.dims.reduce(MemoryLayout<Float>.size, *) { memory.zero() }
        return memory
    }

    private init(_ descriptor: dnnl_memory_desc_t, engine: CPUEngine, buffer: UnsafeMutableRawPointer?, recycler: BufferRecycler?) throws {
        var descriptor = descriptor
        var handle: dnnl_memory_t?
        try dnnlCheck(
            dnnl_memory_create(&handle, &descriptor, engine.engine, buffer ?? ck_dnnl_memory_allocate()),
            "allocate memory"
        )
        self.handle = handle!
        self.descriptor = descriptor
        self.engine = engine
        lent = recycler.map { (buffer!, $0) }
    }

    deinit {
        dnnl_memory_destroy(handle)
        if let lent { lent.recycler.give(lent.buffer, byteCount: byteCount) }
    }

    /// Size of the buffer in bytes, padding of blocked layouts included.
    var byteCount: Int {
        var md = descriptor
        return dnnl_memory_desc_get_size(&md)
    }

    /// The logical dimensions, e.g. `[N, C, H, W]`, whatever the physical layout.
    var dims: [Int] { descriptor.logicalDims }

    /// The raw buffer, valid while this object lives.
    var pointer: UnsafeMutableRawPointer {
        var data: UnsafeMutableRawPointer?
        dnnl_memory_get_data_handle(handle, &data)
        return data!
    }

    /// The buffer as floats (all Apiary memories are f32), padding included.
    var floats: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer.assumingMemoryBound(to: Float.self), count: byteCount / 4)
    }

    /// Sets every byte of the buffer to zero (padding included, which blocked layouts require to be zero).
    func zero() {
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    }

    /// A float descriptor in a named layout.
    /// - Parameters:
    ///   - dims: logical dimensions, e.g. `[N, C, H, W]`.
    ///   - tag: the layout, e.g. `dnnl_nchw`, or `dnnl_format_tag_any` to let a primitive choose.
    static func descriptor(_ dims: [Int], _ tag: dnnl_format_tag_t) throws -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        let dims64 = dims.map(Int64.init)
        try dnnlCheck(dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), dims64, dnnl_f32, tag), "describe memory \(dims)")
        return md
    }

    /// The plain (row-major) layout tag for a rank: `x`, `nc`, `nchw`.
    static func plainTag(rank: Int) -> dnnl_format_tag_t {
        switch rank {
        case 1: dnnl_a
        case 2: dnnl_ab
        case 3: dnnl_abc
        case 4: dnnl_abcd
        default: preconditionFailure("unsupported rank \(rank)")
        }
    }
}

extension dnnl_memory_desc_t {
    /// The logical dimensions of the descriptor.
    var logicalDims: [Int] {
        var copy = self.dims
        return withUnsafeBytes(of: &copy) { raw in
            Array(raw.bindMemory(to: Int64.self).prefix(Int(ndims)).map(Int.init))
        }
    }

    /// Whether two descriptors describe the same shape and layout.
    func sameLayout(as other: dnnl_memory_desc_t) -> Bool {
        var a = self
        var b = other
        return dnnl_memory_desc_equal(&a, &b) != 0
    }
}
