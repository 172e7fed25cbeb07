import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// How a browser passes the door under `--auth verify`, where every request must prove the credentials but a browser
/// cannot sign SigV4: `POST /_apiary/session` with an access key id and its secret (the form `GET /_apiary/session`
/// serves) opens a session for this daemon run, carried by an `HttpOnly`, `SameSite=Strict` cookie.
final class BrowserSessions: Sendable {
    static let path = "/_apiary/session"
    static let cookieName = "apiary-session"

    private let credentials: [String: String]
    private let open = Mutex(Set<String>())

    init(credentials: [String: String]) {
        self.credentials = credentials
    }

    /// Whether the request carries the cookie of an open session.
    func isOpen(_ request: Request) -> Bool {
        guard let token = Self.cookie(Self.cookieName, in: request.headers[values: .cookie]) else { return false }
        return open.withLock { $0.contains(token) }
    }

    /// `GET`: the sign-in form; `POST`: checks the credentials, then sets the cookie and goes on to `next`.
    func respond(to request: Request) async -> Response {
        let form = try? await request.body.collect(upTo: 16 * 1024)
        let fields = Self.formFields(form.map { String(buffer: $0) } ?? "")
        let next = fields["next"] ?? request.uri.queryParameters["next"].map(String.init) ?? "/label/"
        // Only a path of this daemon: never a redirect elsewhere.
        let target = next.hasPrefix("/") && !next.hasPrefix("//") ? next : "/label/"
        guard request.method == .post else { return Self.page(status: .ok, next: target, problem: nil) }
        guard let key = fields["access_key_id"], let secret = fields["secret_access_key"], let expected = credentials[key],
            Digest.sha256(Array(secret.utf8)) == Digest.sha256(Array(expected.utf8))
        else { return Self.page(status: .forbidden, next: target, problem: "Those credentials are not this daemon's.") }
        var generator = SystemRandomNumberGenerator()
        let token = Digest.hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        _ = open.withLock { $0.insert(token) }
        var headers = HTTPFields()
        headers[.location] = target
        headers[.setCookie] = "\(Self.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"
        return Response(status: .seeOther, headers: headers)
    }

    /// The sign-in form, with `problem` when a previous try failed.
    static func page(status: HTTPResponse.Status, next: String, problem: String?) -> Response {
        let escape = { (text: String) in
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
                of: "\"",
                with: "&quot;"
            )
        }
        let html = """
            <!doctype html><html><head><meta charset="utf-8"><title>Apiary: sign in</title></head><body>
            <h1>Apiary</h1><p>This daemon runs with <code>--auth verify</code>: sign in with one of its credentials.</p>
            \(problem.map { "<p role=\"alert\">\(escape($0))</p>" } ?? "")
            <form method="post" action="\(path)"><input type="hidden" name="next" value="\(escape(next))">
            <label>Access key id <input name="access_key_id" autocomplete="username"></label>
            <label>Secret access key <input name="secret_access_key" type="password" autocomplete="current-password"></label>
            <button type="submit">Sign in</button></form></body></html>
            """
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// `a=1&b=x%20y` → fields (form encoding: `+` is a space).
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }

    /// The value of cookie `name` among `Cookie` header values.
    static func cookie(_ name: String, in headers: [String]) -> String? {
        for header in headers {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name { return parts[1].trimmingCharacters(in: .whitespaces) }
            }
        }
        return nil
    }
}
