import Foundation
import Testing

/// Apiary as a newcomer meets it: a live `ctl serve` driven by unmodified AWS clients — the project's own boto3
/// suite (every operation and its error paths), the shared smoke test, the aws CLI, and moto's portable tests.
@Suite("real AWS clients against a live daemon", .serialized)
struct CompatibilityTests {
    @Test("boto3 and the aws CLI: every SageMaker, CloudWatch Logs and S3 operation, with error paths (Tests/ClientSuites/compat)")
    func boto3Suite() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let run = try daemon.runClient("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "Tests/ClientSuites/compat"])
        #expect(run.status == 0, "\(run.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(4000))")
    }

    @Test("the shared boto3 smoke test passes")
    func smoke() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let run = try daemon.runClient("python3", ["Tests/ClientSuites/compat/boto3_smoke.py"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains(" passed, 0 failed"))
    }

    @Test("the aws CLI lists training jobs and gets AWS errors")
    func awsCLI() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let list = try daemon.runClient("aws", ["sagemaker", "list-training-jobs", "--endpoint-url", daemon.url])
        #expect(list.status == 0, "\(list.output)")
        #expect(list.output.contains("\"TrainingJobSummaries\": []"))
        let missing = try daemon.runClient("aws", ["sagemaker", "describe-model", "--model-name", "nope", "--endpoint-url", daemon.url])
        #expect(missing.status != 0)
        #expect(missing.output.contains("ValidationException"), "\(missing.output)")
    }

    @Test("moto's portable SageMaker tests: 6/6")
    func motoPortable() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-moto-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try daemon.runClient(
            "bash", ["Tests/ClientSuites/compat/run_moto_sagemaker_tests.sh", String(daemon.port), "portable"], environment: ["PEER_OUT_DIR": out.path])
        #expect(run.status == 0, "\(run.output)")
        let total = run.output.split(separator: "\n").first { $0.contains("TOTAL") }.map { $0.split(separator: " ").joined(separator: " ") }
        #expect(total == "TOTAL passed 6 failed 0 skipped 0", "\(run.output)")
    }
}
