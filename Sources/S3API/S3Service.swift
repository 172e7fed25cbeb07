import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ObjectStore

/// Amazon S3's REST API (the v1 subset of s3-api.md) over Apiary's `ObjectStore`: path-style addressing, SigV4
/// (header or presigned), bodies streamed in both directions, S3 XML errors for every bad input.
package struct S3Service: Sendable {
    let store: ObjectStore
    let authentication: S3Authentication
    let logger: Logger

    package init(store: ObjectStore, authentication: S3Authentication, logger: Logger) {
        self.store = store
        self.authentication = authentication
        self.logger = logger
    }

    /// The largest XML request body read (DeleteObjects of 1,000 keys of 1 KiB each fits).
    static let maximumXMLBodySize = 2 * 1024 * 1024

    package func respond(to request: Request) async -> Response {
        let requestID = Self.newRequestID()
        let isHead = request.method == .head
        var operation: S3Operation?
        do {
            let region = try authentication.authenticate(request)
            let s3Request = try S3Request(request)
            let chosen = try S3Operation(s3Request)
            operation = chosen
            return try await perform(chosen, S3Context(request: s3Request, body: request.body, region: region, requestID: requestID))
        } catch let error as S3Error {
            logger.debug(
                "S3 request failed",
                metadata: ["operation": "\(operation?.rawValue ?? "-")", "code": "\(error.code)", "requestId": "\(requestID)"]
            )
            return S3Response.error(error, requestID: requestID, isHead: isHead)
        } catch let error as ObjectStoreError {
            let s3Error = S3Error(error)
            if s3Error.status >= 500 { logger.error("S3 storage failure", metadata: ["error": "\(error)", "requestId": "\(requestID)"]) }
            return S3Response.error(s3Error, requestID: requestID, isHead: isHead)
        } catch {
            // The body stream failed (the client went away or sent a malformed body) or a bug: never a dropped answer.
            logger.error(
                "S3 request failed",
                metadata: ["operation": "\(operation?.rawValue ?? "-")", "error": "\(error)", "requestId": "\(requestID)"]
            )
            return S3Response.error(S3Error.incompleteBody("The request body could not be read: \(error)"), requestID: requestID, isHead: isHead)
        }
    }

    private func perform(_ operation: S3Operation, _ context: S3Context) async throws -> Response {
        switch operation {
        case .listBuckets: try listBuckets(context)
        case .createBucket: try await createBucket(context)
        case .headBucket: try headBucket(context)
        case .deleteBucket: try await deleteBucket(context)
        case .getBucketLocation: try getBucketLocation(context)
        case .listObjectsV2: try listObjects(context, version: 2)
        case .listObjects: try listObjects(context, version: 1)
        case .deleteObjects: try await deleteObjects(context)
        case .putObject: try await putObject(context)
        case .copyObject: try await copyObject(context)
        case .getObject: try getObject(context, includeBody: true)
        case .headObject: try getObject(context, includeBody: false)
        case .deleteObject: try await deleteObject(context)
        case .createMultipartUpload: try createMultipartUpload(context)
        case .uploadPart: try await uploadPart(context)
        case .uploadPartCopy: try await uploadPartCopy(context)
        case .completeMultipartUpload: try await completeMultipartUpload(context)
        case .abortMultipartUpload: try await abortMultipartUpload(context)
        case .listParts: try listParts(context)
        case .listMultipartUploads: try listMultipartUploads(context)
        }
    }

    /// 16 uppercase hex digits, like S3's request ids.
    private static func newRequestID() -> String {
        String(UInt64.random(in: .min ... .max), radix: 16, uppercase: true).leftPadded(to: 16)
    }
}

/// One S3 request being served: the parsed request, its unread body, its region and request id.
struct S3Context {
    let request: S3Request
    let body: RequestBody
    let region: String
    let requestID: String

    /// The bucket of a bucket or object operation (`S3Operation` guarantees one).
    var bucket: String { request.bucket ?? "" }
    /// The key of an object operation (`S3Operation` guarantees one).
    var key: String { request.key ?? "" }
    var uri: S3URI { S3URI(bucket: bucket, key: key) }

    /// The whole body of an XML request, at most `S3Service.maximumXMLBodySize` bytes.
    func xmlBody() async throws -> [UInt8] {
        do {
            return Array(buffer: try await body.collect(upTo: S3Service.maximumXMLBodySize))
        } catch {
            throw S3Error("MaxMessageLengthExceeded", "Your request was too big.")
        }
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
