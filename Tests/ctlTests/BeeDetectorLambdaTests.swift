import Foundation
import ObjectStore
import Testing

/// The course's bonus against a live daemon: a trained endpoint, the example Lambda function and REST API deployed
/// with the plain aws CLI (examples/bee-detector-lambda/deploy.sh), a bee photo POSTed with curl; the same in one
/// step with `ctl expose`; and no Lambda process left once the daemon stops.
@Suite("Lambda + API Gateway bee detector", .serialized)
struct BeeDetectorLambdaTests {
    @Test("aws CLI deploy → curl a JPEG → detections; ctl expose; no runtime process outlives the daemon")
    func beeDetector() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        try CrashRecoveryTests.stageSampleData(home: daemon.home)
        try CrashRecoveryTests.createJob(daemon, name: "bees-lambda", epochs: 1)
        let job = try CrashRecoveryTests.waitUntil(daemon, "bees-lambda") { ($0["TrainingJobStatus"] as? String) != "InProgress" }
        #expect(job["TrainingJobStatus"] as? String == "Completed", "\(job)")
        let ctl = CtlBinary.url.path
        let deploy = try daemon.runClient(ctl, ["deploy", "bees-lambda", "--name", "bees-object-detection", "--endpoint-url", daemon.url])
        #expect(deploy.status == 0, "\(deploy.output)")

        let store = ObjectStore(root: daemon.home.appendingPathComponent("s3"))
        let key = try #require(try store.list(bucket: "bees", prefix: "images/").first)
        let photo = daemon.home.appendingPathComponent("bee.jpg")
        try store.get(S3URI(bucket: "bees", key: key)).write(to: photo)

        let script = try daemon.runClient("bash", ["examples/bee-detector-lambda/deploy.sh"], environment: ["AWS_ENDPOINT_URL": daemon.url])
        #expect(script.status == 0, "\(script.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(3000))")
        let url = try #require(script.output.split(separator: "\n").last.map(String.init))
        try expectDetections(daemon, url: url, photo: photo)

        let expose = try daemon.runClient(ctl, ["expose", "bees-object-detection", "--function", "bees-expose", "--endpoint-url", daemon.url])
        #expect(expose.status == 0, "\(expose.output)")
        try expectDetections(daemon, url: expose.output.trimmingCharacters(in: .whitespacesAndNewlines), photo: photo)

        #expect(!Self.runtimeProcesses(of: daemon).isEmpty, "warm environments serve the API")
        daemon.terminate()
        // SIGKILLed processes vanish once the kernel has torn them down: poll briefly.
        var left = Self.runtimeProcesses(of: daemon)
        for _ in 0..<50 where !left.isEmpty {
            Thread.sleep(forTimeInterval: 0.1)
            left = Self.runtimeProcesses(of: daemon)
        }
        #expect(left.isEmpty, "no Lambda process outlives the daemon: \(left)")
    }

    private func expectDetections(_ daemon: LiveDaemon, url: String, photo: URL) throws {
        let binary = try daemon.runClient("curl", ["-sS", "--data-binary", "@\(photo.path)", "-H", "Content-Type: image/jpeg", url])
        let answer = try JSONSerialization.jsonObject(with: Data(binary.output.utf8)) as? [String: Any]
        #expect(answer?["endpoint"] as? String == "bees-object-detection" && answer?["detections"] is [Any], "\(binary.output)")
        let base64 = "{\"image\": \"\(try Data(contentsOf: photo).base64EncodedString())\"}"
        let json = try daemon.runClient("curl", ["-sS", "-d", base64, "-H", "Content-Type: application/json", url])
        #expect((try? JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])?["count"] as? Int == answer?["count"] as? Int,
                "\(json.output)")
    }

    /// Processes whose environment points back at this daemon (`AWS_ENDPOINT_URL` names its port): its runtimes.
    static func runtimeProcesses(of daemon: LiveDaemon) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        let marker = "AWS_ENDPOINT_URL=\(daemon.url)\u{0}"
        return entries.filter { Int($0) != nil }.compactMap { pid in
            guard let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                String(decoding: environment, as: UTF8.self).contains(marker),
                let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { return nil }
            return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        }
    }
}
