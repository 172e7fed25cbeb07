import Foundation
import ObjectStore
import Testing

/// Issue 6 §3: SIGKILL while an object is being uploaded leaves the old object, never a torn one, and the
/// restarted daemon sweeps the upload's temporary file.
@Suite("S3 durability of a live daemon", .serialized)
struct S3DurabilityTests {
    @Test("SIGKILL during an upload: the old object survives whole, the partial one never appears")
    func sigkillDuringUpload() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let bucketDirectory = daemon.home.appendingPathComponent("s3/durable")
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        client.arguments = ["python3", "Tests/ClientSuites/compat/s3_stalled_upload.py", "durable", "model/weights.bin"]
        client.currentDirectoryURL = LiveDaemon.repositoryRoot
        client.environment = ChildEnvironment.inherited(adding: ["APIARY_URL": daemon.url, "PYTHONDONTWRITEBYTECODE": "1"])
        let output = Pipe()
        client.standardOutput = output
        client.standardError = output
        try client.run()
        defer {
            // SIGKILL: the test process's blocked-signal mask may hold a SIGTERM back in its children.
            if client.isRunning { kill(client.processIdentifier, SIGKILL) }
            client.waitUntilExit()
        }
        let said = String(decoding: output.fileHandleForReading.availableDataUntil("STALLED"), as: UTF8.self)
        #expect(said.contains("STALLED"), "\(said)\n\(daemon.daemonLog.suffix(2000))")

        // The upload's bytes are on disk in a temporary file before the daemon dies.
        let temporary = try waitForTemporary(in: bucketDirectory)
        #expect(temporary > 0)
        daemon.kill()

        let store = ObjectStore(root: daemon.home.appendingPathComponent("s3"))
        #expect(try store.get(S3URI(bucket: "durable", key: "model/weights.bin")) == Data(String(repeating: "old version ", count: 1000).utf8))
        #expect(try store.list(bucket: "durable") == ["model/weights.bin"])
        try daemon.start()
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: bucketDirectory.path).filter { $0.hasPrefix(".tmp-") }
        #expect(leftovers.isEmpty)
        let read = try daemon.runClient(
            "python3",
            ["-c", "from conftest import client; print(len(client('s3').get_object(Bucket='durable', Key='model/weights.bin')['Body'].read()))"],
            environment: ["PYTHONPATH": "Tests/ClientSuites/compat"]
        )
        #expect(read.output.trimmingCharacters(in: .whitespacesAndNewlines) == "12000", "\(read.output)")
    }

    /// The size of the first `.tmp-` file in `directory` once it holds bytes (waits up to 60 s).
    private func waitForTemporary(in directory: URL) throws -> Int {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where name.hasPrefix(".tmp-") {
                let size = (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? Int) ?? 0
                if size > 0 { return size }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw LiveDaemonError("no upload reached \(directory.path)")
    }
}

extension FileHandle {
    /// Reads until the text so far contains `marker` or the stream ends.
    fileprivate func availableDataUntil(_ marker: String) -> Data {
        var data = Data()
        while !String(decoding: data, as: UTF8.self).contains(marker) {
            let more = availableData
            if more.isEmpty { break }
            data += more
        }
        return data
    }
}
