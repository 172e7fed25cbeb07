import NIOPosix

/// Runs the object store's slow blocking calls — fsync and rename of a commit, multipart concatenation, copies,
/// unlinks — on NIO's blocking-I/O thread pool, so they never hold one of the few cooperative threads that every
/// other request of the daemon (SageMaker, the runtime) needs.
enum BlockingIO {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
