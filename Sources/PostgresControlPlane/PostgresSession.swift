import Logging
import NIOCore
import PostgresNIO

/// One connection, checked out of `PostgresConnections` for the length of a transaction or a statement: the
/// synchronous face of postgres-nio's connection (each statement blocks in `waitOffEventLoop`).
package struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger
    private let failure = ConnectionFailure()

    /// A statement met a broken connection (closed, or ended by the server): it must not serve another session, even
    /// before postgres-nio has noticed that its channel closed.
    var isBroken: Bool { failure.seen }

    /// How long a statement may go unanswered before its connection is taken for lost and closed: every statement
    /// Apiary runs takes milliseconds, and one that a server going down never answers must not hold its caller (an API
    /// request, a heartbeat, a worker recording a job's end) for ever.
    static let deadline = TimeAmount.seconds(10)

    /// Runs one statement and collects its rows; a statement the server refuses throws `PostgresDatabaseError.server`,
    /// one that meets a broken connection, or gets no answer within `deadline`, `.connectionLost` (the session is then
    /// broken: it refuses further statements, and `PostgresConnections` closes its connection when it is checked in).
    @discardableResult
    package func query(_ query: PostgresQuery) throws -> PostgresQueryResult {
        guard !failure.seen else { throw PostgresDatabaseError.connectionLost(reason: "an earlier statement on it failed") }
        let result: PostgresQueryResult?
        do {
            result = try connection.query(query, logger: logger).waitOffEventLoop(timeout: Self.deadline)
        } catch {
            guard ConnectionFailure.breaksConnection(error) else { throw PostgresDatabaseError.wrapping(error) }
            failure.seen = true
            throw PostgresDatabaseError.connectionLost(reason: PostgresDatabaseError.reason(error))
        }
        guard let result else {
            failure.seen = true
            throw PostgresDatabaseError.connectionLost(reason: "no answer within \(Self.deadline.nanoseconds / 1_000_000_000) s")
        }
        return result
    }

    /// Runs `body` in one transaction on this connection: committed when it returns, rolled back when it throws (a
    /// broken session sends no ROLLBACK: the server has rolled the transaction back already).
    /// - Parameter begin: the statement that starts it, e.g. `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`.
    package func transaction<T>(begin: PostgresQuery = "BEGIN", _ body: () throws -> T) throws -> T {
        try query(begin)
        do {
            let value = try body()
            try query("COMMIT")
            return value
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    /// The number of rows a statement changed.
    package func execute(_ statement: PostgresQuery) throws -> Int {
        try query(statement).metadata.rows ?? 0
    }
}

/// Whether a session's connection has failed; written and read by the one thread that holds the session.
private final class ConnectionFailure {
    var seen = false

    /// An error without a server's answer (the connection closed or broke), or one of the server's connection
    /// exceptions (SQLSTATE class 08) and operator interventions (class 57: shutdown, terminated backend).
    static func breaksConnection(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        guard let state = error.serverInfo?[.sqlState] else { return true }
        return state.hasPrefix("08") || state.hasPrefix("57")
    }
}
