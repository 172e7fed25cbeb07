import AWSProtocol
import Foundation
import Hummingbird

/// SigV4 on every request (spec §3): in `parse` mode (the default) a well-formed Authorization header is
/// required and its credential scope names the request's region; `verify` checks the signature against the
/// configured keys; `off` accepts anything.
package struct EdgeAuthenticator: Sendable {
    package let mode: AuthMode
    let verifier: SigV4Verifier
    let defaultRegion: String

    package init(mode: AuthMode, verifier: SigV4Verifier, defaultRegion: String) {
        self.mode = mode
        self.verifier = verifier
        self.defaultRegion = defaultRegion
    }

    /// - Returns: the request's region and its credential scope's service (nil when unsigned).
    /// - Throws: `AWSError` for missing or bad signatures.
    package func authenticate(_ request: Request, body: [UInt8]) throws -> (region: String, service: String?) {
        var headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
        // HTTP/1.1's Host header arrives as the request's authority; SigV4 signs it as `host`.
        if let authority = request.head.authority { headers.append((name: "host", value: authority)) }
        let signable = SignableRequest(
            method: request.method.rawValue, rawPath: request.uri.path, rawQuery: request.uri.query ?? "", headers: headers, body: body)
        let authorization = try mode.authenticate(signable, verifier: verifier, now: Date())
        return (authorization?.region ?? defaultRegion, authorization?.service)
    }
}
