import AsyncAlgorithms
import ServiceLifecycle

/// Stops idle Lambda execution environments: a tick every quarter of the idle limit (between 0.1 and 30 seconds)
/// until the daemon shuts down. The clock is injected so a test can drive the ticks.
package struct LambdaReaper<C: Clock>: Service where C.Duration == Duration {
    let interval: Duration
    let clock: C
    let reap: @Sendable () -> Void

    package init(runtimes: LambdaRuntimes, clock: C) {
        self.init(interval: min(max(runtimes.idleLimit / 4, .milliseconds(100)), .seconds(30)), clock: clock) { runtimes.reapIdle() }
    }

    /// - Parameter reap: what each tick does.
    package init(interval: Duration, clock: C, reap: @escaping @Sendable () -> Void) {
        self.interval = interval
        self.clock = clock
        self.reap = reap
    }

    package func run() async throws {
        for await _ in AsyncTimerSequence(interval: interval, clock: clock).cancelOnGracefulShutdown() { reap() }
    }
}
