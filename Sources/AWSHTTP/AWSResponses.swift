import AWSProtocol
import HTTPTypes
import Hummingbird

/// Renders answers in each AWS protocol's own envelope, always with `x-amzn-RequestId`.
package enum AWSResponses {
    package static let requestIDHeader = HTTPField.Name("x-amzn-RequestId")!
    package static let errorTypeHeader = HTTPField.Name("x-amzn-ErrorType")!

    /// JSON 1.1 (or `version` 1.0) success: `200`, `application/x-amz-json-1.1`, the output object.
    package static func json11(_ output: JSONValue, requestID: String, version: String = "1.1") -> Response {
        response(status: 200, contentType: "application/x-amz-json-\(version)", body: output.renderedBytes, requestID: requestID)
    }

    /// JSON 1.1 (or `version` 1.0) error: `{"__type": code, "message": ...}` (botocore reads `__type`), status from the error.
    package static func json11(_ error: AWSError, requestID: String, version: String = "1.1") -> Response {
        var body: JSONValue = .object(error.extra)
        body["__type"] = .string(error.code)
        body["message"] = .string(error.message)
        var response = response(status: error.status, contentType: "application/x-amz-json-\(version)", body: body.renderedBytes, requestID: requestID)
        response.headers[errorTypeHeader] = error.code
        return response
    }

    /// rest-json error (SageMaker runtime, Lambda, API Gateway): code in `x-amzn-ErrorType`, `{"message": ...}`.
    package static func restJSON(_ error: AWSError, requestID: String) -> Response {
        var body: JSONValue = .object(error.extra)
        body["message"] = .string(error.message)
        var response = response(status: error.status, contentType: "application/json", body: body.renderedBytes, requestID: requestID)
        response.headers[errorTypeHeader] = error.code
        return response
    }

    package static func response(status: Int, contentType: String, body: [UInt8], requestID: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[requestIDHeader] = requestID
        headers[.contentLength] = String(body.count)
        return Response(status: .init(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
