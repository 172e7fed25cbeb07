import CDNNL

/// Adds two tensors of the same logical shape with oneDNN's binary primitive, in the first one's layout.
///
/// Used where a value fans out and its gradients meet again (a feature map read by a head and by the next
/// stage), and for residual connections. Each sum is written into a recycled buffer (`BufferRecycler`), alive
/// while its reader holds it: a gradient sum is dead once the layer before has read it, and a forward sum is held
/// by the ReLU after it until the next step.
final class TensorSum {
    private let engine: CPUEngine
    private var primitive: DNNLPrimitive?
    private let secondAdapter: LayoutAdapter

    init(engine: CPUEngine) {
        self.engine = engine
        secondAdapter = LayoutAdapter(engine: engine)
    }

    /// `a + b`, in `a`'s layout.
    func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        precondition(a.dims == b.dims, "cannot add \(a.dims) and \(b.dims)")
        let layout = a.memory.descriptor
        if primitive == nil || !primitive!.memoryDescriptor(dnnl_query_src_md, 0).sameLayout(as: layout) {
            var source0 = layout
            var source1 = layout
            var destination = layout
            var desc = dnnl_binary_desc_t()
            try dnnlCheck(dnnl_binary_desc_init(&desc, dnnl_binary_add, &source0, &source1, &destination), "describe add \(a.dims)")
            let primitive = try DNNLPrimitive(desc, engine: engine, what: "add")
            self.primitive = primitive
        }
        let second = try secondAdapter.adapt(b.memory, to: layout)
        let output = try DNNLMemory.recycled(primitive!.memoryDescriptor(dnnl_query_dst_md), engine: engine)
        try primitive!.execute([(DNNL_ARG_SRC_0, a.memory), (DNNL_ARG_SRC_1, second), (DNNL_ARG_DST, output)])
        return Tensor(output)
    }
}
