import AWSProtocol
import Foundation

/// Apiary's object store on disk, the storage behind every s3:// URI in Apiary (training channels, manifests,
/// artifacts) and behind the S3 API.
///
/// Layout under `root`: one directory per bucket (its `.bucket` file holds the region and creation date); in it,
/// one file per object named by the key percent-encoded (every byte outside `[A-Za-z0-9-_~]`), or `=` and the
/// key's SHA-256 when that name would pass the file system's 255-byte limit. Each file holds the object's bytes
/// followed by its metadata (`ObjectFileFormat`). Names starting with `.` are the store's own: `.tmp-*`
/// temporaries and `.uploads/` (multipart uploads). Keys are data, not paths: no key (`../`, absolute, NUL, 1 KiB
/// long) can escape its bucket or collide with another. Writes stream to a temporary file that is fsynced and then
/// renamed over the object, so readers (and a restart after SIGKILL) see the old object or the new one, never a
/// torn one.
public struct ObjectStore: Sendable {
    /// The directory holding one directory per bucket.
    public let root: URL

    /// S3's limit on a key's UTF-8 length.
    public static let maximumKeyLength = 1024

    public init(root: URL) {
        self.root = root
    }

    // MARK: - Whole objects

    /// The object's bytes. - Throws: `ObjectStoreError.noSuchBucket` / `.noSuchKey`.
    public func get(_ uri: S3URI) throws -> Data {
        try open(uri).readAll()
    }

    public func exists(_ uri: S3URI) -> Bool {
        guard let file = try? objectFile(uri) else { return false }
        return FileManager.default.fileExists(atPath: file)
    }

    /// Stores `data` at `uri` atomically, replacing any object there. The bucket must exist.
    @discardableResult
    public func put(_ data: Data, at uri: S3URI, attributes: ObjectAttributes = .init()) throws -> ObjectMetadata {
        let upload = try beginUpload(bucket: uri.bucket)
        try data.withUnsafeBytes { try upload.write($0) }
        return try commit(upload, key: uri.key, attributes: attributes)
    }

    /// Deletes the object if it exists. (Not synced to disk: after a power loss a deleted object may come back
    /// whole, never torn.)
    public func delete(_ uri: S3URI) throws {
        let file = try objectFile(uri)
        guard bucketExists(uri.bucket) else { throw ObjectStoreError.noSuchBucket(uri.bucket) }
        unlink(file)
    }

    // MARK: - Streaming

    /// Opens the object for reading. - Throws: `ObjectStoreError.noSuchBucket` / `.noSuchKey`.
    public func open(_ uri: S3URI) throws -> ObjectReader {
        guard let file = try OpenFile.openForReading(try objectFile(uri)) else {
            throw bucketExists(uri.bucket) ? ObjectStoreError.noSuchKey(uri) : ObjectStoreError.noSuchBucket(uri.bucket)
        }
        return try ObjectReader(file: file, key: uri.key)
    }

    /// The object's metadata. - Throws: `ObjectStoreError.noSuchBucket` / `.noSuchKey`.
    public func metadata(_ uri: S3URI) throws -> ObjectMetadata {
        try open(uri).metadata
    }

    /// Starts writing a new object into `bucket`; `commit` makes it visible under a key.
    /// - Parameter checksum: a flexible checksum to compute as the bytes arrive.
    public func beginUpload(bucket: String, checksum: ChecksumAlgorithm? = nil) throws -> ObjectUpload {
        try requireBucket(bucket)
        return try ObjectUpload(bucket: bucket, directory: bucketDirectory(bucket), checksum: checksum)
    }

    /// Makes `upload` the object at `key` of its bucket, atomically replacing any object there.
    /// - Parameter checksum: the stored checksum; by default the one the upload computed, over the full object.
    @discardableResult
    public func commit(_ upload: ObjectUpload, key: String, attributes: ObjectAttributes, checksum: ObjectChecksum? = nil) throws -> ObjectMetadata {
        let uri = S3URI(bucket: upload.bucket, key: key)
        let metadata = ObjectMetadata(
            key: key,
            size: upload.size,
            etag: Digest.hex(upload.md5Digest),
            lastModified: ObjectMetadata.now(),
            attributes: attributes,
            checksum: checksum ?? upload.computedChecksum
        )
        try upload.commit(metadata, to: try objectFile(uri))
        return metadata
    }

    /// Copies the object at `source` to `destination` (possibly the same), keeping its ETag and checksum.
    /// - Parameter attributes: the copy's attributes; nil keeps the source's.
    @discardableResult
    public func copy(_ source: S3URI, to destination: S3URI, attributes: ObjectAttributes?) throws -> ObjectMetadata {
        let reader = try open(source)
        let destinationFile = try objectFile(destination)
        try requireBucket(destination.bucket)
        let upload = try ObjectUpload(bucket: destination.bucket, directory: bucketDirectory(destination.bucket), checksum: nil, hashing: false)
        try upload.write(contentsOf: reader)
        var metadata = reader.metadata
        metadata.key = destination.key
        metadata.lastModified = ObjectMetadata.now()
        if let attributes { metadata.attributes = attributes }
        try upload.commit(metadata, to: destinationFile)
        return metadata
    }

    // MARK: - Listing

    /// Keys in `bucket` starting with `prefix`, in S3's order (UTF-8 byte order).
    public func list(bucket: String, prefix: String = "") throws -> [String] {
        try requireBucket(bucket)
        let directory = bucketDirectory(bucket)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let keys = names.compactMap { storedKey(fileName: $0, in: directory) }
        return keys.filter { $0.utf8.starts(with: prefix.utf8) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    // MARK: - Layout

    /// The key of the object file `name`; nil for the store's own files and for objects being replaced away.
    private func storedKey(fileName name: String, in directory: URL) -> String? {
        if name.hasPrefix(".") { return nil }
        guard name.hasPrefix(ObjectKeyName.hashedPrefix) else { return ObjectKeyName.key(fromFileName: name) }
        guard let file = try? OpenFile.openForReading(directory.appendingPathComponent(name).path) else { return nil }
        guard let key = try? ObjectFileFormat.metadata(of: file, plainKey: "").key, !key.isEmpty else { return nil }
        return key
    }

    func bucketDirectory(_ bucket: String) -> URL {
        root.appendingPathComponent(bucket, isDirectory: true)
    }

    func requireBucket(_ bucket: String) throws {
        guard BucketName.isValid(bucket) else { throw ObjectStoreError.invalidBucketName(bucket) }
        guard bucketExists(bucket) else { throw ObjectStoreError.noSuchBucket(bucket) }
    }

    /// The path of the object's file. - Throws: for an invalid bucket name or key.
    func objectFile(_ uri: S3URI) throws -> String {
        guard BucketName.isValid(uri.bucket) else { throw ObjectStoreError.invalidBucketName(uri.bucket) }
        try ObjectKeyName.validate(uri.key)
        return bucketDirectory(uri.bucket).appendingPathComponent(ObjectKeyName.fileName(forKey: uri.key)).path
    }

    /// - Throws: `ObjectStoreError.invalidKey` for an empty key or one with NUL; `.keyTooLong` past 1,024 bytes.
    public static func validateKey(_ key: String) throws { try ObjectKeyName.validate(key) }

    /// S3's bucket naming rules (see `BucketName`).
    public static func isValidBucketName(_ name: String) -> Bool { BucketName.isValid(name) }
}
