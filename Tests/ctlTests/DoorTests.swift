import Foundation
import Testing

/// One door for every surface (issue 23), against live daemons: under `--auth verify` the labeling UI, a function's
/// code, `/metrics` and `/moto-api/reset` refuse unsigned requests (the UI opens with a session the credentials open);
/// a foreign `Host` is refused on every surface in every mode; a client on another machine is told apart by its peer
/// address, not by the Host it claims (Tests/ClientSuites/compat/door_check.py).
@Suite("the door of every surface", .serialized)
struct DoorTests {
    @Test("--auth verify: unsigned refused on every surface, signed or signed-in served, foreign Host refused")
    func verifyMode() throws {
        let daemon = try LiveDaemon(extraArguments: ["--auth", "verify", "--credentials", "AKIAAPIARYTEST000000:apiary-test-secret"])
        defer { daemon.terminate() }
        let run = try daemon.runClient("python3", ["Tests/ClientSuites/compat/door_check.py", "verify"])
        #expect(run.status == 0 && run.output.contains(" passed, 0 failed"), "\(run.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(3000))")
    }

    @Test("default mode over loopback: surfaces served; foreign Host refused even with a well-formed signature")
    func localMode() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let run = try daemon.runClient("python3", ["Tests/ClientSuites/compat/door_check.py", "local"])
        #expect(run.status == 0 && run.output.contains(" passed, 0 failed"), "\(run.output)")
    }

    @Test("--allow-remote: a non-loopback peer claiming Host 127.0.0.1 does not reach the UI, metrics or reset")
    func remotePeer() throws {
        guard let address = Self.nonLoopbackAddress() else {
            Issue.record("this machine has no non-loopback IPv4 address to connect from")
            return
        }
        let daemon = try LiveDaemon(extraArguments: ["--allow-remote", "--host", "0.0.0.0"])
        defer { daemon.terminate() }
        let run = try daemon.runClient("python3", ["Tests/ClientSuites/compat/door_check.py", "remote", address])
        #expect(run.status == 0 && run.output.contains(" passed, 0 failed"), "\(run.output)")
    }

    /// The address this machine would use to reach the outside (no packet is sent: a UDP socket is only connected).
    static func nonLoopbackAddress() -> String? {
        let script = """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.connect(("10.255.255.255", 1))
            print(s.getsockname()[0])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        return process.terminationStatus == 0 && !text.hasPrefix("127.") && !text.isEmpty ? text : nil
    }
}
