import Foundation
import PostgresNIO

/// Where the shared control plane lives: `postgresql://user[:password]@host[:port]/database` (libpq's URL form;
/// `postgres://` too). Told apart from its connection settings so that every message can name the database without
/// its password (`description`).
package struct PostgresURL: Sendable, CustomStringConvertible {
    package var user: String
    package var password: String?
    package var host: String
    package var port: Int
    package var database: String

    package init(_ text: String) throws {
        guard let components = URLComponents(string: text), ["postgresql", "postgres"].contains(components.scheme ?? "") else {
            throw PostgresDatabaseError.invalidURL(Self.redacted(text), reason: "it does not start with postgresql://")
        }
        guard let user = components.user, !user.isEmpty else {
            throw PostgresDatabaseError.invalidURL(Self.redacted(text), reason: "it names no user (postgresql://user@host:port/database)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresDatabaseError.invalidURL(Self.redacted(text), reason: "it names no host")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresDatabaseError.invalidURL(Self.redacted(text), reason: "it names no database (…/database at its end)")
        }
        self.user = user
        password = components.password
        self.host = host
        port = components.port ?? 5432
        self.database = database
    }

    /// The same server and user on another database (the tests' fresh databases).
    package func on(database: String) -> PostgresURL {
        var url = self
        url.database = database
        return url
    }

    /// The URL without its password.
    package var description: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    /// Plain TCP: the database is reached on loopback or a private network (TLS is not configured).
    var configuration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
    }

    /// `text` with whatever stands between `:` and `@` in its authority replaced, for messages about a URL that does
    /// not parse.
    private static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://"),
            let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
