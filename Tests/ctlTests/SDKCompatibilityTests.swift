import Foundation
import Testing

/// The SageMaker Python SDK v2, unchanged, against a live daemon (Tests/ClientSuites/compat/sdk_flows.py): `Estimator.fit()` with
/// logs on augmented manifests and on RecordIO `.rec` channels (File and Pipe), `Estimator.attach`,
/// `TrainingJobAnalytics` from CloudWatch metrics, `Transformer`, `deploy()` and the endpoint's log.
@Suite("the SageMaker Python SDK against a live daemon", .serialized)
struct SDKCompatibilityTests {
    @Test(
        "fit → .rec channels → attach → TrainingJobAnalytics (one row per epoch) → CloudWatch via boto3 and the aws CLI → Transformer → deploy → ModelError in the endpoint's log"
    )
    func sdkFlows() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let run = try daemon.runClient("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "Tests/ClientSuites/compat/sdk_flows.py"])
        #expect(run.status == 0, "\(run.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(4000))")
        #expect(run.output.contains("9 passed"), "\(run.output)")
    }
}
