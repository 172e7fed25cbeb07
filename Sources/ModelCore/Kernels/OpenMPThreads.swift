import CDNNL

/// The calling thread's OpenMP thread count, which oneDNN reads when it creates a primitive and when it runs one.
///
/// A primitive whose threads meet at barriers inside the call (oneDNN's JIT batch norm spins at several per call)
/// stalls whenever another process holds one of the cores: the spinning thread waits out the preempted one's
/// time slice. Such primitives run on fewer threads (see `BatchNormKernel`).
enum OpenMPThreads {
    /// Runs `body` with at most `limit` OpenMP threads (no change for `nil` or a limit at or above the setting),
    /// then restores the setting.
    static func limited<T>(to limit: Int32?, _ body: () throws -> T) rethrows -> T {
        let current = omp_get_max_threads()
        guard let limit, limit < current else { return try body() }
        omp_set_num_threads(limit)
        defer { omp_set_num_threads(current) }
        return try body()
    }
}
