import CDNNL

/// A oneDNN primitive with its primitive descriptor: created once for fixed shapes, executed many times.
final class DNNLPrimitive {
    let descriptor: dnnl_primitive_desc_t
    let primitive: dnnl_primitive_t
    unowned let engine: CPUEngine
    /// The most OpenMP threads the primitive was created for and runs on, or `nil` for the process's setting.
    let threadLimit: Int32?

    /// Creates a primitive from an operation descriptor (`dnnl_convolution_desc_t`, …).
    /// - Parameters:
    ///   - operation: the operation descriptor, passed to oneDNN by address.
    ///   - attributes: post-ops and other attributes, or `nil`.
    ///   - hint: the forward primitive, required by backward primitives.
    ///   - what: a description for error messages.
    ///   - threadLimit: the most threads to split the work over (oneDNN fixes the count when it creates the
    ///     primitive), or `nil` for the process's OpenMP setting.
    convenience init<Operation>(
        _ operation: Operation,
        attributes: dnnl_primitive_attr_t? = nil,
        hint: DNNLPrimitive? = nil,
        engine: CPUEngine,
        what: String,
        threadLimit: Int32? = nil
    ) throws {
        var operation = operation
        var pd: dnnl_primitive_desc_t?
        try OpenMPThreads.limited(to: threadLimit) {
            try withUnsafePointer(to: &operation) { op in
                try dnnlCheck(dnnl_primitive_desc_create(&pd, op, attributes, engine.engine, hint?.descriptor), "create \(what)")
            }
        }
        try self.init(descriptor: pd!, engine: engine, what: what, threadLimit: threadLimit)
    }

    /// oneDNN's name for the implementation it chose, e.g. `jit_wino_4x3:avx512_core` (for tests and diagnostics).
    var implementation: String {
        var name: UnsafePointer<CChar>?
        guard dnnl_primitive_desc_query(descriptor, dnnl_query_impl_info_str, 0, &name) == dnnl_success, let name else { return "" }
        return String(cString: name)
    }

    /// A reorder from one layout to another.
    convenience init(reorderFrom source: dnnl_memory_desc_t, to destination: dnnl_memory_desc_t, engine: CPUEngine) throws {
        var source = source
        var destination = destination
        var pd: dnnl_primitive_desc_t?
        try dnnlCheck(
            dnnl_reorder_primitive_desc_create(&pd, &source, engine.engine, &destination, engine.engine, nil),
            "create reorder \(source.logicalDims)"
        )
        try self.init(descriptor: pd!, engine: engine, what: "reorder", threadLimit: nil)
    }

    /// Instantiates a primitive descriptor, taking ownership of it (destroyed here on failure, in `deinit` otherwise).
    private init(descriptor: dnnl_primitive_desc_t, engine: CPUEngine, what: String, threadLimit: Int32?) throws {
        var primitive: dnnl_primitive_t?
        do {
            try OpenMPThreads.limited(to: threadLimit) {
                try dnnlCheck(dnnl_primitive_create(&primitive, descriptor), "instantiate \(what)")
            }
        } catch {
            dnnl_primitive_desc_destroy(descriptor)
            throw error
        }
        self.descriptor = descriptor
        self.primitive = primitive!
        self.engine = engine
        self.threadLimit = threadLimit
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(descriptor)
    }

    /// The memory descriptor the primitive chose for an argument, e.g. `(dnnl_query_src_md, 0)`.
    func memoryDescriptor(_ query: dnnl_query_t, _ index: Int32 = 0) -> dnnl_memory_desc_t {
        dnnl_primitive_desc_query_md(descriptor, query, index).pointee
    }

    /// Allocates memory in the layout the primitive chose for an argument.
    func allocate(_ query: dnnl_query_t, _ index: Int32 = 0) throws -> DNNLMemory {
        let memory = try DNNLMemory(memoryDescriptor(query, index), engine: engine)
        memory.zero()
        return memory
    }

    /// Runs the primitive and waits for it.
    /// - Parameter arguments: `(DNNL_ARG_*, memory)` pairs.
    func execute(_ arguments: [(Int32, DNNLMemory)]) throws {
        let args = arguments.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1.handle) }
        try OpenMPThreads.limited(to: threadLimit) {
            try dnnlCheck(dnnl_primitive_execute(primitive, engine.stream, Int32(args.count), args), "execute primitive")
            try engine.wait()
        }
    }
}
