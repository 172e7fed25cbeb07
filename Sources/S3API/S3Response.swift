import HTTPTypes
import Hummingbird
import NIOCore

/// S3's responses: XML bodies (`application/xml`), empty answers, and `<Error>` documents; every one carries
/// `x-amz-request-id` and `x-amz-id-2`. Errors to HEAD requests are status-only, as S3 sends them.
package enum S3Response {
    static let requestIDHeader = HTTPField.Name("x-amz-request-id")!
    static let hostIDHeader = HTTPField.Name("x-amz-id-2")!

    static func xml(_ document: S3XMLWriter, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], requestID: String) -> Response {
        var headers = headers
        headers[.contentType] = "application/xml"
        return response(status: status, headers: headers, body: document.bytes, requestID: requestID)
    }

    static func empty(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], requestID: String) -> Response {
        response(status: status, headers: headers, body: [], requestID: requestID)
    }

    package static func error(_ error: S3Error, requestID: String, isHead: Bool) -> Response {
        guard !isHead else { return empty(status: .init(code: error.status), requestID: requestID) }
        let document = S3XMLWriter(root: "Error", namespaced: false) { xml in
            xml.element("Code", error.code)
            xml.element("Message", error.message)
            for detail in error.details { xml.element(detail.name, detail.value) }
            xml.element("RequestId", requestID)
            xml.element("HostId", hostID(requestID))
        }
        return xml(document, status: .init(code: error.status), requestID: requestID)
    }

    /// `headers` plus the request ids, with `body` (its length as `Content-Length` unless one is set).
    static func response(status: HTTPResponse.Status, headers: HTTPFields, body: [UInt8], requestID: String) -> Response {
        var headers = headers
        stamp(&headers, requestID: requestID)
        if headers[.contentLength] == nil && status != .noContent && status != .notModified { headers[.contentLength] = String(body.count) }
        return Response(status: status, headers: headers, body: body.isEmpty ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func stamp(_ headers: inout HTTPFields, requestID: String) {
        headers[requestIDHeader] = requestID
        headers[hostIDHeader] = hostID(requestID)
    }

    private static func hostID(_ requestID: String) -> String { "apiary/\(requestID)" }
}
