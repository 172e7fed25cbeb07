import Foundation
import Testing

/// A Lambda function's process is kept away from the daemon (issue 23): it runs as `nobody` under a root daemon, in
/// its own directory, with Lambda's environment and none of the daemon's descriptors; it cannot read `state.sqlite`,
/// `labels.sqlite` or another bucket's files, nor plant objects; and a killed daemon leaves no process behind holding
/// its port (Tests/ClientSuites/compat/lambda_sandbox.py).
@Suite("Lambda sandbox", .serialized)
struct LambdaSandboxTests {
    @Test("a function cannot read the daemon's state or another bucket's files", .enabled(if: geteuid() == 0, "the sandbox drops root"))
    func functionCannotReachTheDaemonsData() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let run = try daemon.runClient("python3", ["Tests/ClientSuites/compat/lambda_sandbox.py", "probe"])
        #expect(run.status == 0 && run.output.contains(" passed, 0 failed"), "\(run.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(2000))")
    }

    @Test("a SIGKILLed daemon leaves no function process, nor anything holding its port")
    func killedDaemonLeavesNothingBehind() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let run = try daemon.runClient("python3", ["Tests/ClientSuites/compat/lambda_sandbox.py", "orphan"])
        let pid = try #require(run.output.split(separator: "\n").last.flatMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }, "\(run.output)")
        #expect(kill(pid, 0) == 0, "the function's child runs while the daemon does")
        daemon.kill()
        // The watcher in the function's session sees the daemon's end of its lifeline close and kills the group.
        let deadline = Date().addingTimeInterval(20)
        while kill(pid, 0) == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(kill(pid, 0) != 0, "process \(pid) outlived the daemon")
        let bind = try daemon.runClient(
            "python3",
            [
                "-c",
                "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(); print('bound')",
                String(daemon.port),
            ]
        )
        #expect(bind.status == 0 && bind.output.contains("bound"), "the daemon's port is still held: \(bind.output)")
        // A start on the same home clears what the killed daemon left in /tmp (its Lambda work directory); a graceful
        // stop removes the fresh one.
        try daemon.start()
        daemon.terminate()
    }
}
