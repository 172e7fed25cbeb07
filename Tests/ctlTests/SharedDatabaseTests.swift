import Foundation
import Testing

/// Two `ctl serve` daemons — two ports, two homes — on one fresh PostgreSQL database of the test cluster
/// (`APIARY_TEST_DATABASE`, which scripts/test.sh sets; the suite is skipped without it), driven by boto3
/// (Tests/ClientSuites/compat/shared_database.py): one control plane and one queue served by both; and the project's
/// whole boto3/aws CLI suite against one daemon on PostgreSQL, as `CompatibilityTests` runs it on SQLite.
@Suite(
    "two daemons on one PostgreSQL database",
    .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["APIARY_TEST_DATABASE"] != nil, "needs APIARY_TEST_DATABASE (scripts/test.sh)")
)
struct SharedDatabaseTests {
    @Test("what one daemon acknowledges the other serves; 20 queued jobs each run exactly once across both")
    func twoDaemonsShareTheControlPlaneAndTheQueue() throws {
        let database = try SharedTestDatabase()
        defer { database.drop() }
        let a = try LiveDaemon(extraArguments: ["--database", database.url])
        defer { a.terminate() }
        let b = try LiveDaemon(extraArguments: ["--database", database.url])
        defer { b.terminate() }
        let run = try a.runClient("python3", ["Tests/ClientSuites/compat/shared_database.py"], environment: ["APIARY_URL_B": b.url])
        #expect(
            run.status == 0 && run.output.contains(" passed, 0 failed"),
            "\(run.output)\n--- A ---\n\(a.daemonLog.suffix(3000))\n--- B ---\n\(b.daemonLog.suffix(3000))"
        )
        // The daemons' own record of their workers: every job started once, by one of them.
        let starts = (a.daemonLog + b.daemonLog).split(separator: "\n").compactMap { line -> String? in
            guard line.hasSuffix("training job started"), let job = line.firstRange(of: "job=shared-") else { return nil }
            return String(line[job.upperBound...].prefix(while: { $0 != " " }))
        }
        #expect(starts.sorted() == (["one"] + (0..<20).map { String(format: "%02d", $0) }).sorted(), "\(starts.sorted())")
    }

    @Test("the boto3 and aws CLI suite (Tests/ClientSuites/compat) passes against a daemon on PostgreSQL")
    func theCompatibilitySuitePassesOnPostgreSQL() throws {
        let database = try SharedTestDatabase()
        defer { database.drop() }
        let daemon = try LiveDaemon(extraArguments: ["--database", database.url])
        defer { daemon.terminate() }
        let run = try daemon.runClient("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "Tests/ClientSuites/compat"])
        #expect(run.status == 0, "\(run.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(4000))")
    }

    @Test("a database URL that does not answer stops the daemon at start with the fix")
    func anUnansweringDatabaseIsAClearErrorAtStart() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-nodb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let run = try CtlBinary.run(["serve", "--port", "0", "--home", home.path, "--database", "postgresql://apiary@127.0.0.1:1/apiary"])
        #expect(run.status == 1)
        #expect(run.error.contains("cannot reach the PostgreSQL database at postgresql://apiary@127.0.0.1:1/apiary"), "\(run.error)")
        #expect(run.error.contains("--database / APIARY_DATABASE"), "\(run.error)")
    }
}

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
