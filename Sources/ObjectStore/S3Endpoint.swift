import AWSProtocol
import Foundation

/// A daemon's S3 API as a client reaches it: its URL and the key pair and region requests are signed with.
public struct S3Endpoint: Sendable, Equatable {
    /// `http(s)://host:port`, the URL `ctl serve` printed.
    public var url: URL
    public var credentials: ClientCredentials

    public init(url: URL, credentials: ClientCredentials) {
        self.url = url
        self.credentials = credentials
    }

    /// The `Host` header SigV4 signs: the host, and the port unless it is the scheme's default.
    var hostHeader: String {
        guard let port = url.port else { return url.host ?? "" }
        return "\(url.host ?? ""):\(port)"
    }
}
