import Logging
import PostgresNIO

/// One connection, checked out of `PostgresConnections` for the length of a transaction or a statement: the
/// synchronous face of postgres-nio's connection (each statement blocks in `waitOffEventLoop`).
package struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs one statement and collects its rows; a statement the server refuses throws `PostgresDatabaseError.server`.
    @discardableResult
    package func query(_ query: PostgresQuery) throws -> PostgresQueryResult {
        do {
            return try connection.query(query, logger: logger).waitOffEventLoop()
        } catch {
            throw PostgresDatabaseError.wrapping(error)
        }
    }

    /// Runs `body` in one transaction on this connection: committed when it returns, rolled back when it throws.
    package func transaction<T>(_ body: () throws -> T) throws -> T {
        try query("BEGIN")
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
