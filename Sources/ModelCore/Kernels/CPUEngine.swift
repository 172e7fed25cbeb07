import CDNNL

/// The oneDNN CPU engine and an in-order stream on it.
///
/// oneDNN primitives are created against an engine and executed on a stream. A stream is not meant to be
/// shared by threads running primitives concurrently, so each worker (a training thread, an inference
/// thread) owns its own `CPUEngine`.
public final class CPUEngine: @unchecked Sendable {
    let engine: dnnl_engine_t
    let stream: dnnl_stream_t
    /// The buffers of values that live for part of a step (backward's gradients), shared by every layer.
    let recycler = BufferRecycler()

    /// Creates CPU engine 0 and a stream on it.
    public init() throws {
        var engine: dnnl_engine_t?
        try dnnlCheck(dnnl_engine_create(&engine, dnnl_cpu, 0), "create CPU engine")
        var stream: dnnl_stream_t?
        do {
            try dnnlCheck(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "create stream")
        } catch {
            dnnl_engine_destroy(engine)
            throw error
        }
        self.engine = engine!
        self.stream = stream!
    }

    deinit {
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
    }

    /// Blocks until every primitive submitted to the stream has finished.
    func wait() throws {
        try dnnlCheck(dnnl_stream_wait(stream), "wait for stream")
    }

    /// Whether oneDNN runs its AVX-512 kernels on this CPU (Winograd's convolutions exist only there).
    static var runsAVX512: Bool {
        let avx512 = dnnl_cpu_isa_avx512_core.rawValue
        return dnnl_get_effective_cpu_isa().rawValue & avx512 == avx512
    }
}
