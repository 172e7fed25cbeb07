import ServiceLifecycle

extension EndpointHost: Service {
    /// Serves until the daemon shuts down, then waits for the deployments still loading.
    package func run() async throws {
        try? await gracefulShutdown()
        await loadsFinished()
    }
}
