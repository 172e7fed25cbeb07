import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ObjectStore

/// PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects, CopyObject (s3-api.md §3.2–3.5).
extension S3Service {
    /// The bytes read from disk per write of a GetObject body.
    static let readChunkSize = 512 * 1024
    /// DeleteObjects' limit.
    static let maximumDeleteCount = 1000

    func putObject(_ context: S3Context) async throws -> Response {
        try ObjectStore.validateKey(context.key)
        let body = UploadBody(request: context.request, verifiesPayloadHash: authentication.mode == .verify)
        let upload = try store.beginUpload(bucket: context.bucket, checksum: body.checksumAlgorithm)
        try await body.receive(context.body, into: upload)
        let attributes = ObjectHeaders.attributes(of: context.request, contentEncoding: body.storedContentEncoding)
        let (store, key) = (self.store, context.key)
        let metadata = try await BlockingIO.run { try store.commit(upload, key: key, attributes: attributes) }
        return S3Response.empty(headers: Self.writeHeaders(metadata), requestID: context.requestID)
    }

    /// GetObject (`includeBody`) and HeadObject: preconditions, `Range`, the stored headers, the body streamed.
    func getObject(_ context: S3Context, includeBody: Bool) throws -> Response {
        let reader = try store.open(context.uri)
        let metadata = reader.metadata
        let request = context.request
        if case .notModified = try Preconditions.evaluate(request, metadata: metadata) {
            let headers: HTTPFields = [.eTag: metadata.quotedETag, .lastModified: S3Date.http(metadata.lastModified)]
            return S3Response.empty(status: .notModified, headers: headers, requestID: context.requestID)
        }
        let range = try ByteRange.resolve(request.header("range"), size: metadata.size)
        let checksumMode = request.header("x-amz-checksum-mode")?.uppercased() == "ENABLED"
        var headers = ObjectHeaders.headers(for: metadata, request: request, includeChecksum: checksumMode && range == nil)
        let span = range ?? ByteRange(first: 0, last: metadata.size - 1)
        headers[.contentLength] = String(max(0, span.count))
        if let range { headers[.contentRange] = range.contentRange(size: metadata.size) }
        S3Response.stamp(&headers, requestID: context.requestID)
        let status: HTTPResponse.Status = range == nil ? .ok : .partialContent
        guard includeBody, span.count > 0 else { return Response(status: status, headers: headers, body: ResponseBody()) }
        return Response(status: status, headers: headers, body: Self.stream(reader, span))
    }

    func deleteObject(_ context: S3Context) async throws -> Response {
        let (store, uri) = (self.store, context.uri)
        try await BlockingIO.run { try store.delete(uri) }
        return S3Response.empty(status: .noContent, requestID: context.requestID)
    }

    func deleteObjects(_ context: S3Context) async throws -> Response {
        let document = try S3XMLElement.parse(try await context.xmlBody())
        let objects = document.children("Object")
        guard document.name == "Delete", objects.count <= Self.maximumDeleteCount else { throw S3Error.malformedXML() }
        let keys = try objects.map { object throws(S3Error) -> String in
            guard let key = object.childText("Key") else { throw S3Error.malformedXML() }
            return key
        }
        _ = try store.bucketInfo(context.bucket)
        let quiet = document.childText("Quiet")?.lowercased() == "true"
        let (store, bucket) = (self.store, context.bucket)
        let failures = try await BlockingIO.run {
            keys.map { key -> S3Error? in
                do {
                    try store.delete(S3URI(bucket: bucket, key: key))
                    return nil
                } catch {
                    return (error as? ObjectStoreError).map(S3Error.init) ?? S3Error.internalError("\(error)")
                }
            }
        }
        let result = S3XMLWriter(root: "DeleteResult") { xml in
            for (key, failure) in zip(keys, failures) {
                if let failure {
                    xml.element("Error") { xml in
                        xml.element("Key", key)
                        xml.element("Code", failure.code)
                        xml.element("Message", failure.message)
                    }
                } else if !quiet {
                    xml.element("Deleted") { $0.element("Key", key) }
                }
            }
        }
        return S3Response.xml(result, requestID: context.requestID)
    }

    func copyObject(_ context: S3Context) async throws -> Response {
        let request = context.request
        let source = try Self.copySource(request)
        let directive = request.header("x-amz-metadata-directive")?.uppercased() ?? "COPY"
        guard directive == "COPY" || directive == "REPLACE" else {
            throw S3Error.invalidArgument("Unknown metadata directive.", name: "x-amz-metadata-directive", value: directive)
        }
        if source == context.uri && directive == "COPY" && request.header("x-amz-storage-class") == nil {
            throw S3Error.invalidRequest(
                "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."
            )
        }
        try ObjectStore.validateKey(context.key)
        // A copy source that is "not modified" fails the copy.
        if case .notModified(let condition) = try Preconditions.evaluate(request, metadata: try store.metadata(source), prefix: Self.copySourcePrefix)
        {
            throw Preconditions.failed(condition)
        }
        let attributes = directive == "REPLACE" ? ObjectHeaders.attributes(of: request, contentEncoding: request.header("content-encoding")) : nil
        let (store, destination) = (self.store, context.uri)
        let metadata = try await BlockingIO.run { try store.copy(source, to: destination, attributes: attributes) }
        let result = S3XMLWriter(root: "CopyObjectResult") { xml in
            xml.element("ETag", metadata.quotedETag)
            xml.element("LastModified", S3Date.iso8601(metadata.lastModified))
            if let checksum = metadata.checksum, checksum.kind == .fullObject {
                xml.element("Checksum\(checksum.algorithm.rawValue)", checksum.value)
            }
        }
        return S3Response.xml(result, requestID: context.requestID)
    }

    static let copySourcePrefix = "x-amz-copy-source-"

    /// `x-amz-copy-source`: `bucket/key` or `/bucket/key`, percent-encoded, an optional `?versionId=…` ignored.
    static func copySource(_ request: S3Request) throws(S3Error) -> S3URI {
        let header = request.header("x-amz-copy-source") ?? ""
        let path = header.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard let decoded = S3Request.decode(path.drop { $0 == "/" }), let slash = decoded.firstIndex(of: "/"),
            decoded.index(after: slash) < decoded.endIndex
        else {
            throw S3Error.invalidArgument(
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                name: "x-amz-copy-source",
                value: header
            )
        }
        return S3URI(bucket: String(decoded[..<slash]), key: String(decoded[decoded.index(after: slash)...]))
    }

    /// The answer headers of a write: the ETag, and the stored checksum.
    static func writeHeaders(_ metadata: ObjectMetadata) -> HTTPFields {
        var headers: HTTPFields = [.eTag: metadata.quotedETag]
        if let checksum = metadata.checksum { headers[HTTPField.Name(checksum.algorithm.headerName)!] = checksum.value }
        return headers
    }

    /// The bytes of `span`, read a chunk at a time as the client takes them (the writer waits while the socket is
    /// full), so memory stays bounded whatever the object's size.
    private static func stream(_ reader: ObjectReader, _ span: ByteRange) -> ResponseBody {
        ResponseBody(contentLength: Int(span.count)) { writer in
            var offset = span.first
            while offset <= span.last {
                let count = Int(min(Int64(readChunkSize), span.last - offset + 1))
                var buffer = ByteBufferAllocator().buffer(capacity: count)
                let read = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { bytes in
                    try reader.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: bytes[..<count]))
                }
                guard read == count else { throw ObjectStoreError.io("object \(reader.metadata.key) is shorter than its metadata says") }
                try await writer.write(buffer)
                offset += Int64(count)
            }
            try await writer.finish(nil)
        }
    }
}
