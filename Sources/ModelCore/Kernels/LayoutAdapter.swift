import CDNNL

/// Brings a memory into the layout a primitive expects, reusing one reorder primitive and one buffer.
///
/// Layers keep one adapter per slot. When the producer already wrote the expected layout (the common case
/// once a network is warm) `adapt` returns its argument untouched; otherwise it reorders, creating the
/// reorder primitive only when a layout changes.
final class LayoutAdapter {
    private let engine: CPUEngine
    private var target: DNNLMemory?
    private var reorder: DNNLPrimitive?

    init(engine: CPUEngine) { self.engine = engine }

    /// `source` in the layout of `expected`: `source` itself, or a reordered copy in the adapter's buffer.
    func adapt(_ source: DNNLMemory, to expected: DNNLMemory.Descriptor) throws -> DNNLMemory {
        if source.descriptor.sameLayout(as: expected) { return source }
        if target == nil || !target!.descriptor.sameLayout(as: expected) {
            target = try DNNLMemory(expected, engine: engine)
            target!.zero()
        }
        try copy(source, into: target!)
        return target!
    }

    /// Copies `source` into `destination`, reordering when their layouts differ.
    func copy(_ source: DNNLMemory, into destination: DNNLMemory) throws {
        if source.descriptor.sameLayout(as: destination.descriptor) {
            destination.pointer.copyMemory(from: source.pointer, byteCount: source.byteCount)
            return
        }
        if reorder == nil || !reorder!.memoryDescriptor(dnnl_query_src_md).sameLayout(as: source.descriptor)
            || !reorder!.memoryDescriptor(dnnl_query_dst_md).sameLayout(as: destination.descriptor)
        {
            reorder = try DNNLPrimitive(reorderFrom: source.descriptor, to: destination.descriptor, engine: engine)
        }
        try reorder!.execute([(DNNL_ARG_FROM, source), (DNNL_ARG_TO, destination)])
    }
}
