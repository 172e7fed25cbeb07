import Foundation
import NIOCore
import Testing

@testable import JobService

/// Which names and peers pass the door (issue 23): IP addresses and local names do, a DNS-rebinding page's domain does
/// not; a peer is local by its address; `--host` is loopback by what it resolves to, not by how it starts.
@Suite struct HostPolicyTests {
    @Test func hostNamesTheDaemonAnswersTo() {
        let policy = HostPolicy(boundHost: "0.0.0.0", allowedHosts: ["Bees.Lan"], machineName: "apiary-box")
        for accepted in [
            "127.0.0.1:4566", "localhost", "LOCALHOST:1", "bucket.localhost:4566", "abcdefghij.execute-api.localhost", "[::1]:4566",
            "192.168.1.5", "apiary-box:4566", "bees.lan.", "x.bees.lan", "s3.localhost.localstack.cloud",
        ] {
            #expect(policy.hostProblem(accepted) == nil, "\(accepted)")
        }
        for refused in ["attacker.example", "127.0.0.1.attacker.example:4566", "localhost.attacker.example", "0.0.0.0.example", "notlocalhost"] {
            #expect(policy.hostProblem(refused)?.contains("does not answer") == true, "\(refused)")
        }
        #expect(policy.hostProblem(nil) == nil, "no Host: not a browser")
    }

    @Test func peersAreLocalByTheirAddress() throws {
        #expect(HostPolicy.isLoopback(try SocketAddress(ipAddress: "127.0.0.1", port: 1)))
        #expect(HostPolicy.isLoopback(try SocketAddress(ipAddress: "127.8.9.10", port: 1)))
        #expect(HostPolicy.isLoopback(try SocketAddress(ipAddress: "::1", port: 1)))
        #expect(!HostPolicy.isLoopback(try SocketAddress(ipAddress: "192.0.2.2", port: 1)))
        #expect(!HostPolicy.isLoopback(try SocketAddress(ipAddress: "::ffff:192.0.2.2", port: 1)))
        #expect(!HostPolicy.isLoopback(nil))
    }

    @Test func listenAddressIsLoopbackByWhatItResolvesTo() {
        #expect(DaemonConfiguration.isLoopback("127.0.0.1") && DaemonConfiguration.isLoopback("127.0.0.2"))
        #expect(DaemonConfiguration.isLoopback("::1") && DaemonConfiguration.isLoopback("localhost"))
        #expect(!DaemonConfiguration.isLoopback("127.0.0.1.attacker.example"))
        #expect(!DaemonConfiguration.isLoopback("0.0.0.0") && !DaemonConfiguration.isLoopback("192.0.2.2"))
        var configuration = DaemonConfiguration(home: FileManager.default.temporaryDirectory)
        configuration.host = "127.0.0.1.attacker.example"
        #expect(throws: DaemonConfigurationError.self) { try configuration.validate() }
    }
}
