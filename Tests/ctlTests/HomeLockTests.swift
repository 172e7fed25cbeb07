import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One daemon per data folder: the daemon owns the stores under its home, so a second `ctl serve` on the same home
/// is refused with a message that says what to do, and the first one goes on serving.
@Suite("one daemon per home")
struct HomeLockTests {
    @Test("a second ctl serve on the same home is refused, naming the first one's pid; another home is fine")
    func secondDaemonRefused() async throws {
        let first = try LiveDaemon()
        defer { first.terminate() }
        let second = try CtlBinary.run(["serve", "--port", "0", "--home", first.home.path])
        #expect(second.status != 0)
        #expect(second.error.contains("already serves the data folder \(first.home.path)"), "\(second)")
        #expect(second.error.contains("pid \(first.process.processIdentifier)"), "\(second)")
        #expect(first.exitStatus == nil, "the first daemon goes on")
        let (_, response) = try await URLSession.shared.data(from: URL(string: "\(first.url)/label/")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)

        let other = try LiveDaemon()
        defer { other.terminate() }
        #expect(other.exitStatus == nil)
    }
}
