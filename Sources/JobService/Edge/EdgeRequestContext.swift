import Hummingbird
import NIOCore

/// The request context of the daemon's port: Hummingbird's core context plus the connection it came on. Access is
/// decided by the connection's peer address (`HostPolicy`), never by a header the client sets; and an answer given
/// before a body was read to its end can end the connection (`closingAfterAnswer`).
struct EdgeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection's remote address; nil only for requests that did not come over a socket (tests).
    let peer: SocketAddress?
    private let channel: (any Channel)?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress
        channel = source.channel
    }

    /// `response` with `Connection: close`, the connection's input shut once its last byte is written: the unread
    /// rest of a refused body is neither awaited nor parsed as the next request.
    func closingAfterAnswer(_ response: Response) -> Response {
        var response = response
        response.headers[.connection] = "close"
        guard let channel else { return response }
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            try await body.write(writer)
            channel.close(mode: .input, promise: nil)
        }
        return response
    }
}
