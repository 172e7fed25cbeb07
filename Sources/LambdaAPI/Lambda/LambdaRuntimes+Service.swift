import ServiceLifecycle

extension LambdaRuntimes: Service {
    /// Keeps the environments until the daemon shuts down, then kills every runtime process and removes the sandbox's
    /// work directory.
    package func run() async throws {
        try? await gracefulShutdown()
        close()
    }
}
