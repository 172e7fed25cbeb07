import Foundation

/// The environment the tests give the processes they start: their own, less the variables that only tune the test
/// runner. scripts/test.sh turns Swift's cooperative thread pool off in the test process
/// (`SWIFT_DEBUG_CONCURRENCY_ENABLE_COOPERATIVE_QUEUES=false`), so that a test waiting on a daemon or a client does
/// not hold one of the pool's two threads while other tests queue behind it; the daemons, workers and clients the
/// tests start run on the pool, as in production, where a blocked pool thread is a bug the tests must see.
enum ChildEnvironment {
    /// Variables meant for the test process alone.
    static let runnerOnly = ["SWIFT_DEBUG_CONCURRENCY_ENABLE_COOPERATIVE_QUEUES"]

    /// The test process's environment without the runner-only variables, with `added` set or replaced.
    static func inherited(adding added: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in runnerOnly { environment[name] = nil }
        return environment.merging(added) { _, given in given }
    }
}
