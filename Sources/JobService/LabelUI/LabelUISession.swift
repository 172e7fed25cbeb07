import HTTPTypes
import Hummingbird

/// What keeps other web pages away from the labeling UI. Three checks:
/// - every `/label/` request must name the daemon by a loopback host (`localhost`, `127.0.0.1`, `[::1]`) or the
///   address it was started on, so a DNS-rebinding page cannot read the UI (and its token);
/// - a state-changing request must carry this daemon run's random token (`X-Apiary-Label-Token`), which only
///   the served page knows (a foreign page cannot read it: no CORS);
/// - and must not come from another origin: an `Origin` other than the daemon's own, or `Sec-Fetch-Site` other
///   than `same-origin`/`none`, is refused even with the token.
struct LabelUISession: Sendable {
    static let tokenHeader = HTTPField.Name("X-Apiary-Label-Token")!
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!

    /// 32 random bytes in hex, new on every daemon start.
    let token: String
    /// The address the daemon listens on (`--host`), accepted as a host name besides the loopback names.
    let boundHost: String

    init(boundHost: String, token: String? = nil) {
        var generator = SystemRandomNumberGenerator()
        self.token = token ?? (0..<32).map { _ in String(format2: UInt8.random(in: 0...255, using: &generator)) }.joined()
        self.boundHost = boundHost.lowercased()
    }

    /// Why the request may not reach the UI at all, or nil.
    func hostProblem(_ request: Request) -> String? {
        guard let authority = request.head.authority, let host = Self.hostName(authority) else {
            return "the request names no host"
        }
        let loopback = ["localhost", "127.0.0.1", "::1"].contains(host)
        let bound = host == boundHost && !["0.0.0.0", "::"].contains(host)
        return loopback || bound ? nil : "the labeling UI answers only at a loopback address such as http://127.0.0.1:<port>/label/, not at '\(host)'"
    }

    /// Why a state-changing request is refused, or nil.
    func writeProblem(_ request: Request) -> String? {
        if let site = request.headers[Self.secFetchSite]?.lowercased(), site != "same-origin", site != "none" {
            return "a \(site) request may not change labels"
        }
        if let origin = request.headers[.origin] {
            let authority = request.head.authority ?? ""
            guard origin.lowercased() == "http://" + authority.lowercased() else {
                return "a request from origin \(origin) may not change labels"
            }
        }
        guard let sent = request.headers[Self.tokenHeader], Self.constantTimeEqual(Array(sent.utf8), Array(token.utf8)) else {
            return "the session token is missing or wrong; reload the page"
        }
        return nil
    }

    /// `host[:port]` or `[v6]:port` → the lower-cased host name.
    static func hostName(_ authority: String) -> String? {
        let value = authority.lowercased()
        if value.hasPrefix("[") {
            guard let end = value.firstIndex(of: "]") else { return nil }
            return String(value[value.index(after: value.startIndex)..<end])
        }
        return value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension String {
    /// Two lower-case hex digits.
    fileprivate init(format2 byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
