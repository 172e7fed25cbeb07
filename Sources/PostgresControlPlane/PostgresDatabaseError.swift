import AWSProtocol
import PostgresNIO

/// What goes wrong between Apiary and its PostgreSQL database, said with the database's URL (never its password)
/// and what to do about it: the daemon prints these at start.
package enum PostgresDatabaseError: ServiceUnavailability, CustomStringConvertible {
    case invalidURL(String, reason: String)
    /// The server does not answer, or refuses the connection.
    case unreachable(PostgresURL, reason: String)
    /// The database's schema was written by a newer Apiary.
    case schemaTooNew(PostgresURL, found: Int, known: Int)
    /// A statement failed on the server (`sqlState` is PostgreSQL's error code).
    case server(message: String, sqlState: String?)
    /// The connection broke, or the server ended it (a restart), while a statement ran: it did not happen, or — a
    /// COMMIT — its outcome is unknown.
    case connectionLost(reason: String)
    /// A stored row this Apiary cannot read.
    case unreadableRow(String)
    /// A statement carried the NUL character (U+0000), which PostgreSQL's text cannot hold (SQLSTATE 22021): a name or
    /// text from a request that SQLite would have taken; a client error, not the database's.
    case textWithNUL

    package var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            "the database URL \(url) is not valid: \(reason); give postgresql://user@host:port/database"
        case .unreachable(let url, let reason):
            "cannot reach the PostgreSQL database at \(url): \(reason). Start the server (or check its address, port, "
                + "user and database, and pg_hba.conf), or give --database / APIARY_DATABASE the URL of one that answers."
        case .schemaTooNew(let url, let found, let known):
            "the database at \(url) has schema version \(found), newer than the \(known) this Apiary knows: a newer "
                + "Apiary has used it. Run that version here too, or give this one another database."
        case .server(let message, let sqlState):
            "PostgreSQL: \(message)" + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
        case .connectionLost(let reason):
            "the connection to the PostgreSQL database was lost: \(reason)"
        case .unreadableRow(let what):
            "a row of the shared database cannot be read: \(what)"
        case .textWithNUL:
            "the NUL character (U+0000) cannot be stored in or looked up by Apiary's PostgreSQL database; remove it"
        }
    }

    /// What went wrong when the database did not answer (it is restarting, stopped, or out of reach), nil for other
    /// errors: a call that met it may succeed when retried, which each API tells its callers (`AWSError.unavailable`).
    package var unavailability: String? {
        switch self {
        case .unreachable(let url, let reason): "cannot reach \(url): \(reason)"
        case .connectionLost(let reason): "the connection was lost: \(reason)"
        default: nil
        }
    }

    /// What postgres-nio's error says, in words: its own description is deliberately generic.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }

    /// Whether this is the refusal of the NUL character.
    package var isTextWithNUL: Bool {
        if case .textWithNUL = self { return true }
        return false
    }

    /// A failed statement as `.server` (or `.textWithNUL`), other errors as they are.
    static func wrapping(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError, let info = error.serverInfo, let message = info[.message] else { return error }
        // Swift strings are valid UTF-8, so the one byte sequence the server can refuse as such is 0x00.
        if info[.sqlState] == "22021" { return PostgresDatabaseError.textWithNUL }
        return PostgresDatabaseError.server(message: message, sqlState: info[.sqlState])
    }

    /// PostgreSQL's SQLSTATE of a failed statement, if it is one.
    var sqlState: String? {
        if case .server(_, let state) = self { return state }
        return nil
    }
}
