import Foundation
import Testing

@Suite("the processes the tests start")
struct ChildEnvironmentTests {
    @Test("a daemon the tests start runs on Swift's cooperative pool, whatever the test process runs on")
    func daemonsKeepTheCooperativePool() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let environ = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(daemon.process.processIdentifier)/environ"))
        let names = environ.split(separator: 0).compactMap { String(decoding: $0, as: UTF8.self).split(separator: "=").first.map(String.init) }
        #expect(names.contains("PATH"), "the daemon inherits the test process's environment")
        for name in ChildEnvironment.runnerOnly { #expect(!names.contains(name), "\(name) reached the daemon") }
    }
}
