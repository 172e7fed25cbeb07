import AWSProtocol
import Foundation

/// An object being written: bytes go to a temporary file as they arrive while its MD5 (the ETag) and, if asked, a
/// flexible checksum are computed, so no body is ever held in memory. Nothing is visible until the store commits
/// it (footer, fsync, rename); an upload dropped uncommitted removes its temporary file. Not for concurrent use: one
/// task writes it and then hands it, once, to the store's commit (possibly on another thread).
public final class ObjectUpload: @unchecked Sendable {
    /// The bytes written so far.
    public private(set) var size: Int64 = 0
    /// The flexible checksum computed, if any.
    public let checksumAlgorithm: ChecksumAlgorithm?
    /// The bucket the upload belongs to.
    public let bucket: String
    let temporary: String
    private let file: OpenFile
    private var md5: LibcryptoDigest?
    private var checksum: (any StreamingDigest)?
    private var finished = false

    /// - Parameter hashing: false for bytes copied from stored objects, whose digests are known.
    init(bucket: String, directory: URL, checksum: ChecksumAlgorithm?, hashing: Bool = true) throws {
        self.bucket = bucket
        temporary = directory.appendingPathComponent(".tmp-\(UUID().uuidString)").path
        file = try OpenFile.create(temporary)
        checksumAlgorithm = checksum
        md5 = hashing ? LibcryptoDigest(.md5) : nil
        self.checksum = hashing ? checksum?.makeDigest() : nil
    }

    deinit {
        if !finished { unlink(temporary) }
    }

    /// Appends `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try file.write(bytes, at: size)
        size += Int64(bytes.count)
        md5?.update(bytes)
        checksum?.update(bytes)
    }

    /// Appends `bytes`.
    public func write(_ bytes: some Collection<UInt8>) throws {
        let array = Array(bytes)
        try array.withUnsafeBytes { try write($0) }
    }

    /// Appends the bytes of `reader`'s object in `range` (all of them by default), a mebibyte at a time.
    func write(contentsOf reader: ObjectReader, range: ClosedRange<Int64>? = nil) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset = range?.lowerBound ?? 0
        let end = range.map { $0.upperBound + 1 } ?? reader.metadata.size
        while offset < end {
            let wanted = Int(min(Int64(buffer.count), end - offset))
            let n = try buffer.withUnsafeMutableBytes { try reader.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<wanted])) }
            guard n == wanted else { throw ObjectStoreError.io("\(reader.metadata.key) is shorter than its metadata says") }
            try buffer.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            offset += Int64(n)
        }
    }

    /// The MD5 of the bytes so far (16 bytes).
    public var md5Digest: [UInt8] { md5?.finalize() ?? [] }

    /// The flexible checksum of the bytes so far, base64-encoded; nil when none was asked for.
    public var checksumValue: String? { checksum.map { Data($0.finalize()).base64EncodedString() } }

    /// The flexible checksum of the bytes so far, over the full object; nil when none was asked for.
    public var computedChecksum: ObjectChecksum? {
        guard let checksumAlgorithm, let checksumValue else { return nil }
        return ObjectChecksum(algorithm: checksumAlgorithm, value: checksumValue)
    }

    /// Writes the footer, flushes, and renames the file to `destination` (replacing what is there).
    func commit(_ metadata: ObjectMetadata, to destination: String) throws {
        precondition(!finished, "an upload commits once")
        let footer = try ObjectFileFormat.footer(metadata)
        try footer.withUnsafeBytes { try file.write($0, at: size) }
        try file.sync()
        if let error = OpenFile.rename(temporary, to: destination) {
            throw ObjectStoreError.io("cannot rename \(temporary) to \(destination): \(String(cString: strerror(error)))")
        }
        finished = true
        OpenFile.syncDirectory((destination as NSString).deletingLastPathComponent)
    }
}
