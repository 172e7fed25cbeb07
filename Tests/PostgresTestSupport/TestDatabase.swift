import Foundation
import Logging
import PostgresControlPlane
import PostgresNIO
import Testing

/// A fresh database on the test's PostgreSQL cluster (`APIARY_TEST_DATABASE`, which scripts/test.sh sets from
/// scripts/throwaway-postgres.sh), so that each test has its own tables, advisory locks and queue; `drop()` removes
/// it. Tests that need one are skipped when the variable is absent. Its own target, so that every suite that runs
/// against PostgreSQL (the queue's, the label store's) makes its databases the same way.
package final class TestDatabase: Sendable {
    package static let variable = "APIARY_TEST_DATABASE"
    package static var isConfigured: Bool { ProcessInfo.processInfo.environment[variable] != nil }

    package let url: PostgresURL
    private let server: PostgresURL

    package init() throws {
        server = try PostgresURL(try #require(ProcessInfo.processInfo.environment[Self.variable], "\(Self.variable) is not set"))
        let name = "apiary_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        url = server.on(database: name)
        try administer { try $0.query("CREATE DATABASE \(unescaped: name)") }
    }

    /// The database's URL as `--database` takes it (with its password, if the cluster has one).
    package var connectionString: String {
        "postgresql://\(url.user)\(url.password.map { ":\($0)" } ?? "")@\(url.host):\(url.port)/\(url.database)"
    }

    /// A daemon's connections to this database.
    package func connections(size: Int = 2) throws -> PostgresConnections {
        try PostgresConnections(url: url, size: size, logger: Logger(label: "test"))
    }

    /// Removes the database (closing whatever connections are still open on it).
    package func drop() {
        do {
            try administer { try $0.query("DROP DATABASE IF EXISTS \(unescaped: url.database) WITH (FORCE)") }
        } catch {
            Issue.record("cannot drop the test database \(url): \(error)")
        }
    }

    /// Runs `body` on the cluster's own database, where databases are made and dropped.
    private func administer(_ body: (PostgresSession) throws -> Void) throws {
        let connections = try PostgresConnections(url: server, size: 1, logger: Logger(label: "test"))
        defer { connections.close() }
        try connections.withSession(body)
    }
}
