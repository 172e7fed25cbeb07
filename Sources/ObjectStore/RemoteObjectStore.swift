import AWSProtocol
import Foundation

/// The object store of a daemon on another host, through its S3 API (`ctl worker --endpoint-url`): what a worker node
/// with no shared file system reads channels from and writes checkpoints, models and transform outputs to. Objects are
/// downloaded to files (streamed, `S3Connection.download`) and uploaded with PutObject, or in parts past
/// `multipartThreshold`. Missing buckets and keys throw `ObjectStoreError` as the local store does; other answers
/// `S3ClientError`.
public struct RemoteObjectStore: ObjectStorage {
    private let connection: S3Connection
    /// Where `get` downloads to before it maps the file.
    private let scratch: URL

    /// Objects larger than this are uploaded in `partSize` parts (S3's minimum part is 5 MiB).
    static let multipartThreshold = 64 << 20
    static let partSize = 16 << 20

    /// - Parameter scratch: a directory of this host for downloads in flight (created if needed).
    public init(endpoint: S3Endpoint, scratch: URL) {
        connection = S3Connection(endpoint: endpoint)
        self.scratch = scratch
    }

    public var endpoint: S3Endpoint { connection.endpoint }

    /// Checks, once at start, that the endpoint answers as Apiary and accepts the credentials (ListBuckets).
    /// - Throws: `S3ClientError` — `.unreachable`, `.notApiary`, or `.refused` (see `isCredentialError`).
    public func checkAccess() throws {
        let answer = try connection.send("GET")
        let server = answer.headers["server"] ?? "an unnamed server"
        guard server.hasPrefix("Apiary") else { throw S3ClientError.notApiary(url: endpoint.url.absoluteString, server: "HTTP \(answer.status) from \(server)") }
        try check(answer, nil)
    }

    public func get(_ uri: S3URI) throws -> Data {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let file = scratch.appendingPathComponent("get-\(UUID().uuidString)")
        defer { unlink(file.path) }
        try download(uri, to: file)
        // Mapped, not read: the pages stay valid once the file is unlinked.
        return try Data(contentsOf: file, options: .alwaysMapped)
    }

    /// Writes the object into `file`, replacing it atomically (a temporary file beside it renamed over it).
    public func download(_ uri: S3URI, to file: URL) throws {
        try check(try connection.download(bucket: uri.bucket, key: uri.key, to: file), uri)
    }

    public func exists(_ uri: S3URI) throws -> Bool {
        let answer = try connection.send("HEAD", bucket: uri.bucket, key: uri.key)
        if answer.status == 404 { return false }
        try check(answer, uri)
        return true
    }

    public func bucketExists(_ bucket: String) throws -> Bool {
        let answer = try connection.send("HEAD", bucket: bucket)
        if answer.status == 404 { return false }
        try check(answer, nil)
        return true
    }

    /// ListObjectsV2, page after page.
    public func list(bucket: String, prefix: String) throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let answer = try connection.send("GET", bucket: bucket, query: query)
            try check(answer, S3URI(bucket: bucket, key: prefix))
            let page = S3XMLText(answer.body)
            guard page.isWellFormed else { throw S3ClientError.refused(status: answer.status, code: "MalformedXML", message: "the object listing could not be read") }
            keys += page.values("Key")
            token = page.values("IsTruncated").first == "true" ? page.values("NextContinuationToken").first : nil
        } while token != nil
        return keys
    }

    @discardableResult
    public func put(_ data: Data, at uri: S3URI, attributes: ObjectAttributes) throws -> ObjectMetadata {
        let headers = [("Content-Type", attributes.contentType ?? "binary/octet-stream")]
        let etag: String
        if data.count <= Self.multipartThreshold {
            let answer = try connection.send("PUT", bucket: uri.bucket, key: uri.key, headers: headers, body: data)
            try check(answer, uri)
            etag = answer.headers["etag"] ?? ""
        } else {
            etag = try putInParts(data, at: uri, headers: headers)
        }
        return ObjectMetadata(
            key: uri.key, size: Int64(data.count), etag: etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")), lastModified: Date(),
            attributes: attributes)
    }

    public func delete(_ uri: S3URI) throws {
        try check(try connection.send("DELETE", bucket: uri.bucket, key: uri.key), uri)
    }

    public func inputCache(in directory: URL) -> any ObjectStorage {
        ObjectDownloadCache(remote: self, directory: directory)
    }

    /// A multipart upload: CreateMultipartUpload, UploadPart per `partSize` bytes, CompleteMultipartUpload — aborted
    /// if any step fails, so no parts are left behind. - Returns: the object's ETag.
    private func putInParts(_ data: Data, at uri: S3URI, headers: [(String, String)]) throws -> String {
        let created = try connection.send("POST", bucket: uri.bucket, key: uri.key, query: [("uploads", "")], headers: headers)
        try check(created, uri)
        guard let id = S3XMLText(created.body).values("UploadId").first else {
            throw S3ClientError.refused(status: created.status, code: "MalformedXML", message: "CreateMultipartUpload answered no UploadId")
        }
        do {
            var parts: [(number: Int, etag: String)] = []
            for (index, start) in stride(from: 0, to: data.count, by: Self.partSize).enumerated() {
                let body = data.subdata(in: data.startIndex + start..<data.startIndex + min(start + Self.partSize, data.count))
                let answer = try connection.send(
                    "PUT", bucket: uri.bucket, key: uri.key, query: [("partNumber", String(index + 1)), ("uploadId", id)], body: body)
                try check(answer, uri)
                parts.append((index + 1, answer.headers["etag"] ?? ""))
            }
            let list = parts.map { "<Part><PartNumber>\($0.number)</PartNumber><ETag>\($0.etag)</ETag></Part>" }.joined()
            let completed = try connection.send(
                "POST", bucket: uri.bucket, key: uri.key, query: [("uploadId", id)], headers: [("Content-Type", "application/xml")],
                body: Data("<CompleteMultipartUpload>\(list)</CompleteMultipartUpload>".utf8))
            try check(completed, uri)
            let document = S3XMLText(completed.body)
            // S3 may answer 200 and still fail the completion in the body.
            if let code = document.values("Code").first {
                throw S3ClientError.refused(status: completed.status, code: code, message: document.values("Message").first ?? "")
            }
            return document.values("ETag").first ?? ""
        } catch {
            _ = try? connection.send("DELETE", bucket: uri.bucket, key: uri.key, query: [("uploadId", id)])
            throw error
        }
    }

    /// Throws what an error answer says: `ObjectStoreError` for a missing bucket or key, else `S3ClientError.refused`.
    private func check(_ answer: S3Connection.Answer, _ uri: S3URI?) throws {
        guard !answer.isSuccess else { return }
        let document = S3XMLText(answer.body)
        let code = document.values("Code").first ?? "HTTP \(answer.status)"
        switch (code, uri) {
        case ("NoSuchBucket", let uri?): throw ObjectStoreError.noSuchBucket(uri.bucket)
        case ("NoSuchKey", let uri?): throw ObjectStoreError.noSuchKey(uri)
        default: throw S3ClientError.refused(status: answer.status, code: code, message: document.values("Message").first ?? "")
        }
    }
}
