import AWSProtocol
import Foundation
import Logging
import Testing

@testable import JobService
@testable import PostgresControlPlane

/// The database URL and the errors that name it: never with its password, always with the fix.
@Suite struct PostgresURLTests {
    @Test func aURLIsReadAndNamedWithoutItsPassword() throws {
        let url = try PostgresURL("postgresql://apiary:s3cret@db.example:6543/control")
        #expect(url.user == "apiary" && url.password == "s3cret" && url.host == "db.example" && url.port == 6543 && url.database == "control")
        #expect(url.description == "postgresql://apiary@db.example:6543/control")
        #expect(try PostgresURL("postgres://me@localhost/apiary").port == 5432)
    }

    @Test(arguments: ["mysql://me@h/db", "postgresql://h:5432/db", "postgresql://me:pw@h:5432/", "postgresql://me:pw@:5432/db"])
    func aURLMissingAPartIsRefusedWithoutItsPassword(text: String) throws {
        let error = try #require(throws: PostgresDatabaseError.self) { try PostgresURL(text) }
        #expect(!error.description.contains(":pw@") && error.description.contains("postgresql://user@host:port/database"))
    }

    @Test func aDatabaseThatDoesNotAnswerIsAClearErrorAtStart() throws {
        // Nothing listens on port 1 of the loopback address: the connection is refused at once.
        let url = try PostgresURL("postgresql://apiary:s3cret@127.0.0.1:1/control")
        let error = try #require(throws: PostgresDatabaseError.self) { try PostgresConnections(url: url, logger: Logger(label: "test")) }
        guard case .unreachable = error else {
            Issue.record("\(error)")
            return
        }
        #expect(error.description.contains("postgresql://apiary@127.0.0.1:1/control"))
        #expect(!error.description.contains("s3cret"))
        #expect(error.description.contains("APIARY_DATABASE"))
    }

    /// A database that stops answering later (a restart) is `ServiceUnavailable` to API callers, which retry it;
    /// any other unexpected error stays `InternalFailure`.
    @Test func anUnansweringDatabaseIsServiceUnavailableToCallers() throws {
        let url = try PostgresURL("postgresql://apiary:s3cret@127.0.0.1:1/control")
        for error in [PostgresDatabaseError.unreachable(url, reason: "connection refused"), .connectionLost(reason: "server closed the connection")] {
            let answer = AWSError.unexpected(error)
            #expect(answer.code == "ServiceUnavailable" && answer.status == 503, "\(answer)")
            #expect(answer.message.hasPrefix("Apiary's PostgreSQL database did not answer ("))
            #expect(answer.message.hasSuffix("retry the call once it is back."))
            #expect(!answer.message.contains("s3cret"))
        }
        let refused = AWSError.unexpected(PostgresDatabaseError.server(message: "syntax error", sqlState: "42601"))
        #expect(refused.code == "InternalFailure" && refused.status == 500 && refused.message.contains("syntax error"))
    }
}
