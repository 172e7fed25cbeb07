import Foundation
import Testing

/// The wire fuzzer (Tests/ClientSuites/fuzz/wire_fuzz.py) in the test command: a fixed seed and a bounded count of requests built
/// from botocore's models and hand-written byte mutations, against a live daemon. No crash, no request unanswered for
/// 5 s, no 5xx but the documented 501s. The long run is bench/run_wire_fuzz.sh.
@Suite("wire fuzzing, bounded", .serialized)
struct WireFuzzTests {
    @Test("seed 23, 1,500 requests: no crash, no hang, no 5xx besides 501")
    func boundedRun() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let pid = String(daemon.process.processIdentifier)
        let run = try daemon.runClient("python3", ["Tests/ClientSuites/fuzz/wire_fuzz.py", "--seed", "23", "--count", "1500", "--pid", pid])
        #expect(run.status == 0, "\(run.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(3000))")
        #expect(run.output.contains("'crashes': 0") && run.output.contains("'requests': 1500"), "\(run.output)")
    }
}
