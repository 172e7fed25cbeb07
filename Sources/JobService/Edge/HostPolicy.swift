import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The names the daemon answers to, and who counts as this machine. A DNS-rebinding page reaches the port under its
/// own domain name, so a `Host` naming anything else than an IP address, `localhost` (and its subdomains: virtual-host
/// buckets, `<api>.execute-api.localhost`), the `--host` the daemon listens on, the machine's own name or a name in
/// `APIARY_ALLOWED_HOSTS` is refused on every surface. Whether a client is local is decided by the connection's peer
/// address, never by a header the client sets.
struct HostPolicy: Sendable {
    /// Lower-cased names accepted with any subdomain.
    let names: Set<String>

    init(boundHost: String, allowedHosts: [String] = [], machineName: String? = HostPolicy.machineName()) {
        var names: Set<String> = ["localhost", "localhost.localstack.cloud"]
        for name in [boundHost, machineName].compactMap({ $0 }) + allowedHosts {
            let name = Self.normalized(name)
            if !name.isEmpty, !Self.isWildcard(name) { names.insert(name) }
        }
        self.names = names
    }

    /// Why a request naming `authority` in its `Host` is refused, or nil. A request without a Host (HTTP/1.0, raw
    /// clients) passes: browsers always send one.
    func hostProblem(_ authority: String?) -> String? {
        guard let authority, !authority.isEmpty else { return nil }
        guard let host = Self.hostName(authority) else { return "the Host header '\(authority)' is not a host name" }
        if Self.isIPAddress(host) { return nil }
        if names.contains(where: { host == $0 || host.hasSuffix("." + $0) }) { return nil }
        return "this daemon does not answer to the host name '\(host)' (a DNS-rebinding page would); use an address such as 127.0.0.1, "
            + "or list the name in APIARY_ALLOWED_HOSTS"
    }

    /// Whether the connection comes from this machine: a loopback peer (or a Unix socket).
    static func isLoopback(_ peer: SocketAddress?) -> Bool {
        switch peer {
        case .v4(let address)?: return address.address.sin_addr.s_addr.bigEndian >> 24 == 127
        case .v6?:
            guard let ip = peer?.ipAddress?.lowercased() else { return false }
            return ip == "::1" || ip.hasPrefix("::ffff:127.")
        case .unixDomainSocket?: return true
        case nil: return false
        }
    }

    /// `host[:port]`, `[v6]:port` → the lower-cased host without a trailing dot; nil when malformed.
    static func hostName(_ authority: String) -> String? {
        let value = authority.lowercased()
        if value.hasPrefix("[") {
            guard let end = value.firstIndex(of: "]") else { return nil }
            return String(value[value.index(after: value.startIndex)..<end])
        }
        let host = normalized(String(value.prefix { $0 != ":" }))
        return host.isEmpty ? nil : host
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    static func isWildcard(_ host: String) -> Bool { host == "0.0.0.0" || host == "::" || host == "[::]" }

    /// The machine's host name, as remote clients of `--allow-remote` may address it.
    static func machineName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        return String(cString: buffer)
    }

    private static func normalized(_ name: String) -> String {
        var name = name.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        return name
    }
}
