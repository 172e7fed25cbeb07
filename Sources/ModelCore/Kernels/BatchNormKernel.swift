import CDNNL
import Glibc

/// oneDNN's batch normalization for one input shape and mode, optionally with ReLU fused into the same pass.
///
/// Training normalises with the batch's statistics, which the forward pass writes to `batchMean` and
/// `batchVariance` (biased); inference reads the running statistics. Scale and shift (and in training their
/// gradients) are the caller's row-major buffers, borrowed, so they must outlive the kernel.
///
/// With a `synchronizer` (a data-parallel job), training normalises with the statistics of the batch of every
/// rank together (`SynchronizedBatchStatistics`): the primitives then run channels-last with given statistics
/// (`dnnl_use_global_stats`), and backward adds the terms oneDNN leaves out for given statistics.
final class BatchNormKernel {
    /// The caller's per-channel buffers, each `[C]`.
    struct Buffers {
        var scale: UnsafeMutableBufferPointer<Float>
        var shift: UnsafeMutableBufferPointer<Float>
        var scaleGradient: UnsafeMutableBufferPointer<Float>
        var shiftGradient: UnsafeMutableBufferPointer<Float>
        var runningMean: UnsafeMutableBufferPointer<Float>
        var runningVariance: UnsafeMutableBufferPointer<Float>
    }

    private let plan: PrimitivePlan
    private let scale: DNNLMemory
    private let shift: DNNLMemory
    private let mean: DNNLMemory
    private let variance: DNNLMemory
    private let scaleGradient: DNNLMemory?
    private let shiftGradient: DNNLMemory?
    private let epsilon: Float
    /// The ranks whose batches training normalises together, or `nil` for this process's batch alone.
    private let synchronizer: (any CrossRankSum)?
    /// The elements per channel the last training pass's statistics are over (every rank's, when synchronised).
    private(set) var batchCount = 0

    /// The threads batch norm runs on for `dims`: one, unless an image's plane is larger than 96×96. oneDNN's JIT
    /// batch norm meets its threads at spinning barriers several times per call, and on a machine where another
    /// process holds a core every barrier waits out a time slice (docs/performance.md, "Batch norm on one
    /// thread"); one thread streams the tensor at nearly the bandwidth of two. On one thread, though, oneDNN sums a
    /// plane in one pass, which for 150×150 planes loses digits the two-thread split keeps (gradients 7.5e-6 from the
    /// double-precision reference against 2.6e-6, BatchNormPrecisionTests on the AVX2 machine), so large planes keep
    /// the process's threads.
    /// `APIARY_BATCH_NORM_THREADS=N` sets the count for every shape (0: the process's OpenMP setting), for measuring.
    static func threadLimit(for dims: [Int]) -> Int32? {
        if let text = getenv("APIARY_BATCH_NORM_THREADS").map({ String(cString: $0) }), let count = Int32(text) {
            return count > 0 ? count : nil
        }
        return dims[2] * dims[3] <= 96 * 96 ? 1 : nil
    }

    /// Builds the primitives for `input`'s shape and layout (channels-last when synchronised).
    init(
        for input: Tensor, epsilon: Float, fusesReLU: Bool, mode: ForwardMode, buffers: Buffers,
        synchronizer: (any CrossRankSum)? = nil
    ) throws {
        let engine = input.memory.engine
        let synchronized = mode == .training ? synchronizer : nil
        self.synchronizer = synchronized
        self.epsilon = epsilon
        var data = synchronized == nil ? input.memory.descriptor : try DNNLMemory.descriptor(input.dims, dnnl_nhwc)
        let affine = dnnl_use_scale.rawValue | dnnl_use_shift.rawValue | (fusesReLU ? dnnl_fuse_norm_relu.rawValue : 0)
        let givenStatistics = affine | dnnl_use_global_stats.rawValue
        let flags = mode == .training && synchronized == nil ? affine : givenStatistics
        var forwardDesc = dnnl_batch_normalization_desc_t()
        try dnnlCheck(
            dnnl_batch_normalization_forward_desc_init(
                &forwardDesc, mode == .training ? dnnl_forward_training : dnnl_forward_inference, &data, epsilon, flags),
            "describe batch norm \(input.dims)"
        )
        let threadLimit = Self.threadLimit(for: input.dims)
        let forward = try DNNLPrimitive(forwardDesc, engine: engine, what: "batch norm forward", threadLimit: threadLimit)
        let vector = try DNNLMemory.descriptor([buffers.scale.count], dnnl_x)
        func borrow(_ buffer: UnsafeMutableBufferPointer<Float>) throws -> DNNLMemory {
            try DNNLMemory(vector, engine: engine, buffer: UnsafeMutableRawPointer(buffer.baseAddress!))
        }
        scale = try borrow(buffers.scale)
        shift = try borrow(buffers.shift)
        var backward: DNNLPrimitive?
        if mode == .training {
            mean = try DNNLMemory(vector, engine: engine)
            variance = try DNNLMemory(vector, engine: engine)
            var backwardDesc = dnnl_batch_normalization_desc_t()
            var diff = data
            try dnnlCheck(
                dnnl_batch_normalization_backward_desc_init(&backwardDesc, dnnl_backward, &diff, &data, epsilon, flags),
                "describe batch norm backward"
            )
            backward = try DNNLPrimitive(
                backwardDesc, hint: forward, engine: engine, what: "batch norm backward", threadLimit: threadLimit)
            scaleGradient = try borrow(buffers.scaleGradient)
            shiftGradient = try borrow(buffers.shiftGradient)
        } else {
            mean = try borrow(buffers.runningMean)
            variance = try borrow(buffers.runningVariance)
            scaleGradient = nil
            shiftGradient = nil
        }
        plan = try PrimitivePlan(forward: forward, backward: backward, workspace: mode == .training && fusesReLU)
    }

    /// The normalised input; reused by the next call. In training the batch's statistics are then in
    /// `batchMean` and `batchVariance`.
    func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor {
        // In training, mean and variance are outputs (the batch's statistics) unless synchronised, when they are
        // computed over every rank first; in inference, inputs (running ones).
        if mode == .training { batchCount = input.count / (scale.floats.count) }
        let prepare: ((DNNLMemory) throws -> Void)? = synchronizer.map { reducer in
            { [self] source in
                let global = try SynchronizedBatchStatistics.statistics(of: source.floats, channels: scale.floats.count, over: reducer)
                for c in global.mean.indices {
                    mean.floats[c] = global.mean[c]
                    variance.floats[c] = global.variance[c]
                }
                batchCount = global.count
            }
        }
        return try plan.runForward(
            input, mode: mode,
            [(DNNL_ARG_SCALE, scale), (DNNL_ARG_SHIFT, shift), (DNNL_ARG_MEAN, mean), (DNNL_ARG_VARIANCE, variance)],
            prepare: prepare
        )
    }

    /// The last training pass's per-channel mean.
    var batchMean: UnsafeMutableBufferPointer<Float> { mean.floats }
    /// The last training pass's per-channel biased variance.
    var batchVariance: UnsafeMutableBufferPointer<Float> { variance.floats }

    /// The input's gradient for the last training forward pass; the scale and shift gradients go to the buffers.
    func backward(_ outputGradient: Tensor) throws -> Tensor {
        guard let scaleGradient, let shiftGradient else { preconditionFailure("BatchNorm.backward without a training forward pass") }
        let inputGradient = try plan.runBackward(
            outputGradient, readsSource: true,
            [
                (DNNL_ARG_MEAN, mean), (DNNL_ARG_VARIANCE, variance), (DNNL_ARG_SCALE, scale), (DNNL_ARG_SHIFT, shift),
                (DNNL_ARG_DIFF_SCALE, scaleGradient), (DNNL_ARG_DIFF_SHIFT, shiftGradient),
            ]
        )
        if let synchronizer, let source = plan.savedSource {
            try SynchronizedBatchStatistics.correct(
                inputGradient: inputGradient.values, source: source.floats,
                statistics: (mean.floats, variance.floats, batchCount), scale: scale.floats,
                scaleGradient: scaleGradient.floats, shiftGradient: shiftGradient.floats,
                epsilon: epsilon, over: synchronizer
            )
        }
        return inputGradient
    }
}
