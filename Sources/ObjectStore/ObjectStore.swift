import Foundation

/// Apiary's object store on disk: buckets of objects under one root directory, the storage behind every s3://
/// URI in Apiary. Keys are data, not paths: each object is one file whose name is its percent-encoded key, so no
/// key (`../`, absolute, NUL) can escape its bucket and no two keys collide. Writes are atomic (temporary file,
/// fsync, rename): readers see the old object or the new one, never a torn one.
public struct ObjectStore: Sendable {
    /// The directory holding one directory per bucket.
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// Creates the bucket if it does not exist.
    public func ensureBucket(_ bucket: String) throws {
        try FileManager.default.createDirectory(at: bucketDirectory(bucket), withIntermediateDirectories: true)
    }

    public func bucketExists(_ bucket: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: bucketDirectory(bucket).path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The object's bytes. - Throws: `ObjectStoreError.noSuchBucket` / `.noSuchKey`.
    public func get(_ uri: S3URI) throws -> Data {
        let file = try objectFile(uri)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw bucketExists(uri.bucket) ? ObjectStoreError.noSuchKey(uri) : ObjectStoreError.noSuchBucket(uri.bucket)
        }
        return data
    }

    public func exists(_ uri: S3URI) -> Bool {
        guard let file = try? objectFile(uri) else { return false }
        return FileManager.default.fileExists(atPath: file.path)
    }

    /// Stores `data` at `uri` atomically, replacing any object there. The bucket must exist.
    public func put(_ data: Data, at uri: S3URI) throws {
        guard bucketExists(uri.bucket) else { throw ObjectStoreError.noSuchBucket(uri.bucket) }
        let file = try objectFile(uri)
        let temporary = bucketDirectory(uri.bucket).appendingPathComponent(".tmp-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw ObjectStoreError.io("cannot create \(temporary.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, file.path) == 0 else { throw ObjectStoreError.io("rename failed: errno \(errno)") }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Keys in `bucket` starting with `prefix`, in S3's order (UTF-8 byte order).
    public func list(bucket: String, prefix: String = "") throws -> [String] {
        guard bucketExists(bucket) else { throw ObjectStoreError.noSuchBucket(bucket) }
        let names = try FileManager.default.contentsOfDirectory(atPath: bucketDirectory(bucket).path)
        return names.filter { !$0.hasPrefix(".tmp-") }
            .compactMap { $0.removingPercentEncoding }
            .filter { $0.hasPrefix(prefix) }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    public func delete(_ uri: S3URI) throws {
        let file = try objectFile(uri)
        try? FileManager.default.removeItem(at: file)
    }

    // MARK: - Layout

    private func bucketDirectory(_ bucket: String) -> URL {
        root.appendingPathComponent(bucket, isDirectory: true)
    }

    private func objectFile(_ uri: S3URI) throws -> URL {
        guard Self.isValidBucketName(uri.bucket) else { throw ObjectStoreError.invalidBucketName(uri.bucket) }
        guard !uri.key.isEmpty, !uri.key.utf8.contains(0) else { throw ObjectStoreError.invalidKey(uri.key) }
        let name = Self.fileName(forKey: uri.key)
        guard name.utf8.count <= 255 else { throw ObjectStoreError.keyTooLong(uri.key) }
        return bucketDirectory(uri.bucket).appendingPathComponent(name)
    }

    /// Every byte outside `[A-Za-z0-9-_~]` percent-encoded, so `/`, `.` and `..` never act as path syntax.
    static func fileName(forKey key: String) -> String {
        var name = ""
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                name.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                name += String(format: "%%%02X", byte)
            }
        }
        return name
    }

    /// S3's bucket naming rules: 3–63 characters of lowercase letters, digits, `-` and `.`, starting and ending
    /// with a letter or digit.
    public static func isValidBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alnum(_ b: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) }
        guard alnum(bytes.first!), alnum(bytes.last!) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") } && !name.contains("..")
    }
}

/// Why an object-store call failed.
public enum ObjectStoreError: Error, Equatable, CustomStringConvertible {
    case noSuchBucket(String)
    case noSuchKey(S3URI)
    case invalidBucketName(String)
    case invalidKey(String)
    case keyTooLong(String)
    case io(String)

    public var description: String {
        switch self {
        case .noSuchBucket(let b): "The specified bucket does not exist: \(b)"
        case .noSuchKey(let uri): "The specified key does not exist: \(uri)"
        case .invalidBucketName(let b): "The specified bucket is not valid: \(b)"
        case .invalidKey(let k): "The specified key is not valid: \(k.debugDescription)"
        case .keyTooLong(let k): "The key is longer than this store supports (\(k.utf8.count) bytes): \(k.prefix(64))…"
        case .io(let m): "I/O error: \(m)"
        }
    }
}
