import Foundation
import Testing

/// Ground Truth labeling jobs on a live daemon, driven by boto3 and the aws CLI (Tests/ClientSuites/compat/test_labeling_jobs.py):
/// images labeled with `ctl labels apply` on the daemon's label store, the output manifest read back over S3.
@Suite("labeling jobs against a live daemon")
struct LiveLabelingJobTests {
    @Test("boto3: create, label with ctl, describe Completed, output manifest, stop, list, errors; an adjustment job over its output; the aws CLI describes; ctl imports from s3://")
    func labelingJobFlow() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let run = try daemon.runClient("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "Tests/ClientSuites/compat/test_labeling_jobs.py"])
        #expect(run.status == 0, "\(run.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(4000))")
        #expect(run.output.contains("13 passed"), "\(run.output)")
    }

    @Test("boto3: a verification job chained on a finished job's output, answered good and bad through the label API")
    func verificationJob() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let run = try daemon.runClient("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "Tests/ClientSuites/compat/test_verification_jobs.py"])
        #expect(run.status == 0, "\(run.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(4000))")
        #expect(run.output.contains("1 passed"), "\(run.output)")
    }
}
