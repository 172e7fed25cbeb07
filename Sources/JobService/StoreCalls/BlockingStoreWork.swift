import NIOPosix

/// Work whose store calls block — SQLite, or the shared PostgreSQL database, which may keep a statement waiting up to
/// its 10 s deadline while it is away — run on NIO's blocking-I/O threads, so that it holds none of Swift's cooperative
/// threads (two on a two-core machine), on which every other request's async work runs.
enum BlockingStoreWork {
    /// `work`'s value (or error), computed on a blocking-I/O thread; here if that pool is not running (the singleton is
    /// never shut down).
    static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        do {
            return try await NIOThreadPool.singleton.runIfActive(work)
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            return try work()
        }
    }

    /// `run` for work that answers every error itself.
    static func run<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        do {
            return try await NIOThreadPool.singleton.runIfActive(work)
        } catch {
            return work()  // the pool is not running: the one error `runIfActive` throws for work that throws none
        }
    }
}
