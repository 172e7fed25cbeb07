import Testing

/// Execution environments over their lifetime, against a live daemon with short limits
/// (`APIARY_LAMBDA_IDLE_SECONDS=2`, `APIARY_LAMBDA_INIT_SECONDS=2`): idle ones are stopped and the next invoke
/// cold-starts; a runtime slower than the init phase is retried within the function's timeout.
@Suite("Lambda execution environment lifecycle", .serialized)
struct LambdaLifecycleTests {
    @Test("idle environments are reaped; the init phase limit (Tests/ClientSuites/compat/lambda_lifecycle.py)")
    func lifecycle() throws {
        let daemon = try LiveDaemon(environment: ["APIARY_LAMBDA_IDLE_SECONDS": "2", "APIARY_LAMBDA_INIT_SECONDS": "2"])
        defer { daemon.terminate() }
        let run = try daemon.runClient("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "Tests/ClientSuites/compat/lambda_lifecycle.py"])
        #expect(run.status == 0, "\(run.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(4000))")
    }
}
