import AWSHTTP
import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird
import LambdaAPI
import NIOCore
import S3API

/// The one door every surface of the port passes. Every request must name the daemon by a `Host` it answers to
/// (`HostPolicy`: no DNS rebinding). The surfaces with no AWS signature of their own — the labeling UI, a function's
/// code download, `/metrics`, `/moto-api/reset` — are open without credentials only to clients on this machine (by
/// the connection's peer address) and only while the daemon does not verify signatures; under `--auth verify` they
/// need a SigV4 signature or a browser session opened with the credentials (`BrowserSessions`). The AWS surfaces keep
/// their own SigV4 checks (`EdgeAuthenticator`, `S3Authentication`); deployed APIs answer unsigned calls, as API
/// Gateway's do.
struct EdgeDoor: Sendable {
    let hosts: HostPolicy
    let authenticator: EdgeAuthenticator
    let sessions: BrowserSessions

    /// Whether `request` is for a surface without a signature of its own.
    static func isUnsigned(_ request: Request) -> Bool {
        let path = request.uri.path
        return path.hasPrefix("/moto-api/") || path == "/metrics" || path.hasPrefix(LambdaService.codePrefix) || LabelUI.claims(request)
    }

    /// Why `request` may not use an unsigned surface, or nil.
    func unsignedProblem(_ request: Request, peer: SocketAddress?) -> String? {
        if authenticator.mode == .verify {
            if sessions.isOpen(request) { return nil }
            if request.headers[.authorization] != nil, (try? authenticator.authenticate(request, body: [])) != nil { return nil }
            return "this daemon runs with --auth verify: sign the request with SigV4, or sign in at \(BrowserSessions.path)"
        }
        guard HostPolicy.isLoopback(peer) else {
            return "only clients on this machine may use this without credentials; serve other machines with --auth verify"
        }
        return nil
    }

    /// A refusal in the shape of the surface `request` is for.
    static func refusal(_ request: Request, _ message: String, status: Int, requestID: String) -> Response {
        if LabelUI.claims(request) { return LabelUI.error(status, message) }
        if !isUnsigned(request) && S3Routing.claims(request) {
            return S3Response.error(S3Error("AccessDenied", message, status: 403), requestID: requestID, isHead: request.method == .head)
        }
        let error = AWSError("AccessDeniedException", message, status: status)
        return request.headers[HTTPField.Name("X-Amz-Target")!] != nil
            ? AWSResponses.json11(error, requestID: requestID) : AWSResponses.restJSON(error, requestID: requestID)
    }
}
