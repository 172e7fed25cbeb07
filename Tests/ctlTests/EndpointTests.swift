import Foundation
import ImageCodec
import ObjectStore
import Testing

/// Endpoints with a real client: train a small model on the sample bees, then run the course's deployment with
/// boto3 (Tests/ClientSuites/compat/endpoint_flow.py): waiters, JPEG/PNG/x-image invocations, errors in the runtime's shape,
/// an update under load with no failed request, 1,000 requests of which 10% garbage, delete.
@Suite("endpoints with boto3", .serialized)
struct EndpointTests {
    @Test("train → model → config → endpoint → invoke → update under load → garbage → delete")
    func deployAndInvoke() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        try CrashRecoveryTests.stageSampleData(home: daemon.home)
        try CrashRecoveryTests.createJob(daemon, name: "to-deploy", epochs: 1)
        let job = try CrashRecoveryTests.waitUntil(daemon, "to-deploy") { ($0["TrainingJobStatus"] as? String) != "InProgress" }
        #expect(job["TrainingJobStatus"] as? String == "Completed", "\(job)")

        let store = ObjectStore(root: daemon.home.appendingPathComponent("s3"))
        let key = try #require(try store.list(bucket: "bees", prefix: "images/").first)
        let jpeg = try store.get(S3URI(bucket: "bees", key: key))
        let folder = daemon.home.appendingPathComponent("probe", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try jpeg.write(to: folder.appendingPathComponent("bee.jpg"))
        try Data(PNGCodec.encode(ImageDecoder.decode(Array(jpeg)))).write(to: folder.appendingPathComponent("bee.png"))

        let run = try daemon.runClient(
            "python3",
            ["Tests/ClientSuites/compat/endpoint_flow.py", "s3://bees/output/to-deploy/output/model.tar.gz", folder.appendingPathComponent("bee.jpg").path,
             folder.appendingPathComponent("bee.png").path])
        #expect(run.status == 0, "\(run.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(3000))")
        #expect(run.output.contains(" passed, 0 failed"), "\(run.output)")

        // The same through ctl: deploy the job in one step, invoke with a drawing, describe with metrics.
        let ctl = CtlBinary.url.path
        let deploy = try daemon.runClient(ctl, ["deploy", "to-deploy", "--name", "cli-bees", "--endpoint-url", daemon.url])
        #expect(deploy.status == 0 && deploy.output.contains("InService"), "\(deploy.output)")
        let drawn = folder.appendingPathComponent("drawn.png")
        let invoke = try daemon.runClient(
            ctl, ["invoke", "cli-bees", folder.appendingPathComponent("bee.jpg").path, "--draw", drawn.path, "--min-score", "0", "--endpoint-url", daemon.url])
        #expect(invoke.status == 0 && invoke.output.hasPrefix("IMAGE"), "\(invoke.output)")
        let picture = try ImageDecoder.decode(Array(Data(contentsOf: drawn)))
        #expect(picture.width > 0)
        let describe = try daemon.runClient(ctl, ["endpoints", "describe", "cli-bees", "--endpoint-url", daemon.url])
        #expect(describe.status == 0 && describe.output.contains("Invocations              1"), "\(describe.output)")
        // A restart brings the endpoint back InService, and an InService endpoint answers: an invocation sent at once,
        // while its model is still loading, waits for it instead of being told the endpoint does not exist.
        daemon.terminate()
        try daemon.start()
        let again = try daemon.runClient(ctl, ["invoke", "cli-bees", folder.appendingPathComponent("bee.jpg").path, "--endpoint-url", daemon.url])
        #expect(again.status == 0 && again.output.hasPrefix("IMAGE"), "\(again.output)")
        let wait = try daemon.runClient(ctl, ["endpoints", "wait", "cli-bees", "--endpoint-url", daemon.url])
        #expect(wait.status == 0, "\(wait.output)\n\(daemon.daemonLog.suffix(2000))")
        let gone = try daemon.runClient(ctl, ["invoke", "nope", folder.appendingPathComponent("bee.jpg").path, "--endpoint-url", daemon.url])
        #expect(gone.status == 64 && gone.output.contains("error: endpoint 'nope' does not exist"), "\(gone.output)")
        let typo = try daemon.runClient(ctl, ["invoke", "cli-bee", folder.appendingPathComponent("bee.jpg").path, "--endpoint-url", daemon.url])
        #expect(typo.status == 64 && typo.output.contains("error: endpoint 'cli-bee' does not exist; did you mean cli-bees?"), "\(typo.output)")
    }
}
