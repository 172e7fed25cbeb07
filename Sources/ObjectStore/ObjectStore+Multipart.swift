import AWSProtocol
import Foundation

/// A multipart upload in progress: where it will land and what the finished object will carry.
public struct MultipartUpload: Codable, Sendable, Equatable {
    public var id: String
    public var key: String
    public var attributes: ObjectAttributes
    /// The flexible checksum the parts carry (`x-amz-checksum-algorithm` of CreateMultipartUpload), if any.
    public var checksumAlgorithm: ChecksumAlgorithm?
    public var checksumKind: ObjectChecksum.Kind?
    public var initiated: Date
}

/// One part named in a multipart completion.
public struct CompletedPart: Sendable, Equatable {
    public var number: Int
    /// The part's ETag, quotes optional.
    public var etag: String
    /// The part's checksum as the client states it, if it does.
    public var checksum: String?

    public init(number: Int, etag: String, checksum: String? = nil) {
        self.number = number
        self.etag = etag
        self.checksum = checksum
    }
}

extension ObjectStore {
    static let uploadsDirectory = ".uploads"
    /// S3's smallest part but the last.
    public static let minimumPartSize: Int64 = 5 * 1024 * 1024
    /// S3's part numbers.
    public static let partNumbers = 1...10_000

    /// Starts a multipart upload of `uri`. - Returns: the upload, with its new id.
    public func createMultipartUpload(
        _ uri: S3URI,
        attributes: ObjectAttributes,
        checksumAlgorithm: ChecksumAlgorithm?,
        checksumKind: ObjectChecksum.Kind?
    ) throws -> MultipartUpload {
        _ = try objectFile(uri)
        try requireBucket(uri.bucket)
        let upload = MultipartUpload(
            id: Self.newUploadID(),
            key: uri.key,
            attributes: attributes,
            checksumAlgorithm: checksumAlgorithm,
            checksumKind: checksumKind,
            initiated: Date()
        )
        let directory = uploadDirectory(bucket: uri.bucket, id: upload.id)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try JSONEncoder().encode(upload).write(to: directory.appendingPathComponent("upload.json"), options: .atomic)
        return upload
    }

    /// The upload `id` of `bucket`. - Throws: `ObjectStoreError.noSuchUpload` (also for ids the store never makes).
    public func multipartUpload(bucket: String, id: String) throws -> MultipartUpload {
        try requireBucket(bucket)
        guard Self.isWellFormedUploadID(id),
            let data = FileManager.default.contents(atPath: uploadDirectory(bucket: bucket, id: id).appendingPathComponent("upload.json").path),
            let upload = try? JSONDecoder().decode(MultipartUpload.self, from: data)
        else { throw ObjectStoreError.noSuchUpload(id) }
        return upload
    }

    /// Starts writing a part of `upload`; `commitPart` stores it.
    public func beginPart(of upload: MultipartUpload, bucket: String, checksum: ChecksumAlgorithm?) throws -> ObjectUpload {
        try ObjectUpload(bucket: bucket, directory: uploadDirectory(bucket: bucket, id: upload.id), checksum: checksum)
    }

    /// Stores `part` as part `number` of `upload`, replacing an earlier one. - Returns: the part's metadata.
    @discardableResult
    public func commitPart(_ part: ObjectUpload, number: Int, of upload: MultipartUpload) throws -> ObjectMetadata {
        let directory = uploadDirectory(bucket: part.bucket, id: upload.id)
        // Aborted meanwhile: the part has nowhere to go.
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("upload.json").path) else {
            throw ObjectStoreError.noSuchUpload(upload.id)
        }
        let metadata = ObjectMetadata(
            key: upload.key,
            size: part.size,
            etag: Digest.hex(part.md5Digest),
            lastModified: ObjectMetadata.now(),
            attributes: .init(),
            checksum: part.computedChecksum
        )
        try part.commit(metadata, to: directory.appendingPathComponent(Self.partFileName(number)).path)
        return metadata
    }

    /// Stores bytes of the object at `source` (all, or `range`) as part `number` of `upload` (UploadPartCopy).
    @discardableResult
    public func copyPart(
        from source: S3URI,
        range: ClosedRange<Int64>?,
        number: Int,
        of upload: MultipartUpload,
        bucket: String
    ) throws -> ObjectMetadata {
        let reader = try open(source)
        let part = try beginPart(of: upload, bucket: bucket, checksum: upload.checksumAlgorithm)
        try part.write(contentsOf: reader, range: range)
        return try commitPart(part, number: number, of: upload)
    }

    /// Joins the listed parts into the object, in order, and ends the upload; parts not listed are discarded.
    /// - Throws: `ObjectStoreError.noParts`, `.invalidPartOrder`, `.invalidPart`, `.entityTooSmall` (checked in
    ///   that order, as S3 does), `.noSuchUpload`.
    public func completeMultipartUpload(bucket: String, id: String, parts: [CompletedPart]) throws -> ObjectMetadata {
        let upload = try multipartUpload(bucket: bucket, id: id)
        guard !parts.isEmpty else { throw ObjectStoreError.noParts }
        guard zip(parts, parts.dropFirst()).allSatisfy({ $0.number < $1.number }) else { throw ObjectStoreError.invalidPartOrder }
        let directory = uploadDirectory(bucket: bucket, id: id)
        var readers: [ObjectReader] = []
        for part in parts {
            guard let file = try OpenFile.openForReading(directory.appendingPathComponent(Self.partFileName(part.number)).path) else {
                throw ObjectStoreError.invalidPart(part.number)
            }
            let reader = try ObjectReader(file: file, key: upload.key)
            let etag = part.etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            guard etag == reader.metadata.etag, part.checksum == nil || part.checksum == reader.metadata.checksum?.value else {
                throw ObjectStoreError.invalidPart(part.number)
            }
            readers.append(reader)
        }
        if let small = zip(parts, readers).dropLast().first(where: { $1.metadata.size < Self.minimumPartSize }) {
            throw ObjectStoreError.entityTooSmall(small.0.number)
        }

        let object = try ObjectUpload(bucket: bucket, directory: bucketDirectory(bucket), checksum: nil, hashing: false)
        var md5s: [UInt8] = []
        for reader in readers {
            try object.write(contentsOf: reader)
            md5s += Self.bytes(fromHex: reader.metadata.etag)
        }
        let metadata = ObjectMetadata(
            key: upload.key,
            size: object.size,
            etag: Digest.hex(Digest.md5(md5s)) + "-\(readers.count)",
            lastModified: ObjectMetadata.now(),
            attributes: upload.attributes,
            checksum: Self.compositeChecksum(upload, parts: readers.map(\.metadata)),
            partCount: readers.count
        )
        try object.commit(metadata, to: try objectFile(S3URI(bucket: bucket, key: upload.key)))
        try? FileManager.default.removeItem(at: directory)
        return metadata
    }

    /// The bucket's unfinished uploads, by key then by initiation time.
    public func multipartUploads(bucket: String) throws -> [MultipartUpload] {
        try requireBucket(bucket)
        let directory = bucketDirectory(bucket).appendingPathComponent(Self.uploadsDirectory)
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return ids.compactMap { try? multipartUpload(bucket: bucket, id: $0) }.sorted {
            $0.key == $1.key ? $0.initiated < $1.initiated : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8)
        }
    }

    /// The parts uploaded so far, by part number.
    public func parts(of upload: MultipartUpload, bucket: String) throws -> [(number: Int, metadata: ObjectMetadata)] {
        let directory = uploadDirectory(bucket: bucket, id: upload.id)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name -> (number: Int, metadata: ObjectMetadata)? in
            guard name.hasPrefix("part-"), let number = Int(name.dropFirst(5)),
                let file = try? OpenFile.openForReading(directory.appendingPathComponent(name).path),
                let reader = try? ObjectReader(file: file, key: upload.key)
            else { return nil }
            return (number, reader.metadata)
        }.sorted { $0.number < $1.number }
    }

    /// Discards the upload and its parts. - Throws: `ObjectStoreError.noSuchUpload`.
    public func abortMultipartUpload(bucket: String, id: String) throws {
        _ = try multipartUpload(bucket: bucket, id: id)
        let directory = uploadDirectory(bucket: bucket, id: id)
        let trash = bucketDirectory(bucket).appendingPathComponent(".tmp-\(UUID().uuidString)")
        guard OpenFile.rename(directory.path, to: trash.path) == nil else { throw ObjectStoreError.noSuchUpload(id) }
        try? FileManager.default.removeItem(at: trash)
    }

    // MARK: - Layout

    func uploadDirectory(bucket: String, id: String) -> URL {
        bucketDirectory(bucket).appendingPathComponent(Self.uploadsDirectory).appendingPathComponent(id)
    }

    private static func partFileName(_ number: Int) -> String { String(format: "part-%05d", number) }

    /// 40 random base62 characters.
    private static func newUploadID() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return String((0..<40).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Upload ids name directories, so only the store's own form is looked up.
    private static func isWellFormedUploadID(_ id: String) -> Bool {
        id.utf8.count == 40 && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }

    /// S3's composite checksum: the checksum of the parts' binary checksums, then `-<part count>`; nil unless
    /// the upload asked for a composite checksum and every part carries one.
    private static func compositeChecksum(_ upload: MultipartUpload, parts: [ObjectMetadata]) -> ObjectChecksum? {
        guard let algorithm = upload.checksumAlgorithm, upload.checksumKind != .fullObject else { return nil }
        var digests: [UInt8] = []
        for part in parts {
            guard let checksum = part.checksum, checksum.algorithm == algorithm, let raw = Data(base64Encoded: checksum.value) else { return nil }
            digests += raw
        }
        return ObjectChecksum(algorithm: algorithm, value: algorithm.checksum(of: digests) + "-\(parts.count)", kind: .composite)
    }

    private static func bytes(fromHex hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count - 1, by: 2).compactMap { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16) }
    }
}
