import AWSProtocol
import HTTPTypes
import Hummingbird
import ObjectStore

/// CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload (s3-api.md §3.6).
extension S3Service {
    func createMultipartUpload(_ context: S3Context) throws -> Response {
        let request = context.request
        let algorithm = try request.header("x-amz-checksum-algorithm").map { name throws(S3Error) -> ChecksumAlgorithm in
            guard let algorithm = ChecksumAlgorithm(name: name) else {
                throw S3Error.invalidArgument("Checksum algorithm provided is unsupported.", name: "x-amz-checksum-algorithm", value: name)
            }
            return algorithm
        }
        var kind: ObjectChecksum.Kind?
        if let algorithm {
            let typeName = request.header("x-amz-checksum-type")?.uppercased()
            kind = typeName.flatMap(ObjectChecksum.Kind.init(rawValue:)) ?? (algorithm == .crc64nvme ? .fullObject : .composite)
        }
        let attributes = ObjectHeaders.attributes(of: request, contentEncoding: request.header("content-encoding"))
        let upload = try store.createMultipartUpload(context.uri, attributes: attributes, checksumAlgorithm: algorithm, checksumKind: kind)
        var headers = HTTPFields()
        if let algorithm, let kind {
            headers[HTTPField.Name("x-amz-checksum-algorithm")!] = algorithm.rawValue
            headers[HTTPField.Name("x-amz-checksum-type")!] = kind.rawValue
        }
        let result = S3XMLWriter(root: "InitiateMultipartUploadResult") { xml in
            xml.element("Bucket", context.bucket)
            xml.element("Key", context.key)
            xml.element("UploadId", upload.id)
        }
        return S3Response.xml(result, headers: headers, requestID: context.requestID)
    }

    func uploadPart(_ context: S3Context) async throws -> Response {
        let (upload, number) = try partTarget(context)
        let body = UploadBody(request: context.request, verifiesPayloadHash: authentication.mode == .verify)
        let part = try store.beginPart(of: upload, bucket: context.bucket, checksum: body.checksumAlgorithm ?? upload.checksumAlgorithm)
        try await body.receive(context.body, into: part)
        let store = self.store
        let metadata = try await BlockingIO.run { try store.commitPart(part, number: number, of: upload) }
        return S3Response.empty(headers: Self.writeHeaders(metadata), requestID: context.requestID)
    }

    func uploadPartCopy(_ context: S3Context) async throws -> Response {
        let (upload, number) = try partTarget(context)
        let source = try Self.copySource(context.request)
        var range: ClosedRange<Int64>?
        if let header = context.request.header("x-amz-copy-source-range") {
            let size = try store.metadata(source).size
            guard let resolved = try ByteRange.resolve(header, size: size), header.contains("-"), !header.hasPrefix("bytes=-") else {
                throw S3Error.invalidArgument(
                    "The x-amz-copy-source-range value must be of the form bytes=first-last.",
                    name: "x-amz-copy-source-range",
                    value: header
                )
            }
            range = resolved.first...resolved.last
        }
        let (store, bucket, bytes) = (self.store, context.bucket, range)
        let metadata = try await BlockingIO.run { try store.copyPart(from: source, range: bytes, number: number, of: upload, bucket: bucket) }
        let result = S3XMLWriter(root: "CopyPartResult") { xml in
            xml.element("ETag", metadata.quotedETag)
            xml.element("LastModified", S3Date.iso8601(metadata.lastModified))
        }
        return S3Response.xml(result, requestID: context.requestID)
    }

    func completeMultipartUpload(_ context: S3Context) async throws -> Response {
        let upload = try ownUpload(context)
        let document = try S3XMLElement.parse(try await context.xmlBody())
        guard document.name == "CompleteMultipartUpload" else { throw S3Error.malformedXML() }
        let parts = try document.children("Part").map { part throws(S3Error) -> CompletedPart in
            guard let number = part.childText("PartNumber").flatMap({ Int($0) }), let etag = part.childText("ETag") else {
                throw S3Error.malformedXML()
            }
            let checksum = upload.checksumAlgorithm.flatMap { part.childText("Checksum\($0.rawValue)") }
            return CompletedPart(number: number, etag: etag, checksum: checksum)
        }
        let (store, bucket) = (self.store, context.bucket)
        let metadata = try await BlockingIO.run { try store.completeMultipartUpload(bucket: bucket, id: upload.id, parts: parts) }
        var headers = HTTPFields()
        if let checksum = metadata.checksum { headers[HTTPField.Name("x-amz-checksum-type")!] = checksum.kind.rawValue }
        let location = "/\(context.bucket)/\(SigV4.percentEncode(Array(context.key.utf8), keeping: "/"))"
        let result = S3XMLWriter(root: "CompleteMultipartUploadResult") { xml in
            xml.element("Location", context.request.header("host").map { "http://\($0)\(location)" } ?? location)
            xml.element("Bucket", context.bucket)
            xml.element("Key", context.key)
            xml.element("ETag", metadata.quotedETag)
            if let checksum = metadata.checksum {
                xml.element("Checksum\(checksum.algorithm.rawValue)", checksum.value)
                xml.element("ChecksumType", checksum.kind.rawValue)
            }
        }
        return S3Response.xml(result, headers: headers, requestID: context.requestID)
    }

    func abortMultipartUpload(_ context: S3Context) async throws -> Response {
        let upload = try ownUpload(context)
        let (store, bucket) = (self.store, context.bucket)
        try await BlockingIO.run { try store.abortMultipartUpload(bucket: bucket, id: upload.id) }
        return S3Response.empty(status: .noContent, requestID: context.requestID)
    }

    /// The upload named by `uploadId`, which must be for this request's key. - Throws: `NoSuchUpload`.
    func ownUpload(_ context: S3Context) throws -> MultipartUpload {
        let id = context.request.query["uploadId"] ?? ""
        let upload = try store.multipartUpload(bucket: context.bucket, id: id)
        guard upload.key == context.key else { throw S3Error.noSuchUpload(id) }
        return upload
    }

    /// The upload and part number of UploadPart and UploadPartCopy. - Throws: `InvalidArgument`, `NoSuchUpload`.
    private func partTarget(_ context: S3Context) throws -> (MultipartUpload, Int) {
        let text = context.request.query["partNumber"] ?? ""
        guard let number = Int(text), ObjectStore.partNumbers.contains(number) else {
            throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", name: "partNumber", value: text)
        }
        return (try ownUpload(context), number)
    }
}
