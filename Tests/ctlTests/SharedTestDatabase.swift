import Foundation
import Testing

/// A fresh database on the test cluster, made and dropped with `psql` (PostgreSQL's client, installed beside the
/// server by scripts/setup.sh).
struct SharedTestDatabase {
    let url: String
    private let server: String
    private let name = "apiary_live_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()

    init() throws {
        server = try #require(ProcessInfo.processInfo.environment["APIARY_TEST_DATABASE"])
        let base = try #require(server.range(of: "/", options: .backwards), "APIARY_TEST_DATABASE ends in /database")
        url = String(server[..<base.lowerBound]) + "/" + name
        let made = try CtlBinary.runProcess("psql", [server, "-qc", "CREATE DATABASE \(name)"])
        try #require(made.status == 0, "\(made.error)")
    }

    func drop() {
        let dropped = try? CtlBinary.runProcess("psql", [server, "-qc", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"])
        #expect(dropped?.status == 0, "cannot drop \(name): \(dropped?.error ?? "psql did not run")")
    }
}
