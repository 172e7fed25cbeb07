import AWSProtocol
import Foundation

/// What a writer says about an object besides its bytes, stored with it and served back as HTTP headers.
public struct ObjectAttributes: Codable, Sendable, Equatable {
    /// `Content-Type`; S3 answers `binary/octet-stream` when none was given.
    public var contentType: String?
    public var contentEncoding: String?
    public var contentDisposition: String?
    public var contentLanguage: String?
    public var cacheControl: String?
    public var expires: String?
    /// `x-amz-meta-*` headers: names lower-cased, without the prefix; values as received.
    public var userMetadata: [String: String]
    /// `x-amz-storage-class`; nil for STANDARD.
    public var storageClass: String?

    public init(
        contentType: String? = nil,
        contentEncoding: String? = nil,
        contentDisposition: String? = nil,
        contentLanguage: String? = nil,
        cacheControl: String? = nil,
        expires: String? = nil,
        userMetadata: [String: String] = [:],
        storageClass: String? = nil
    ) {
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.contentDisposition = contentDisposition
        self.contentLanguage = contentLanguage
        self.cacheControl = cacheControl
        self.expires = expires
        self.userMetadata = userMetadata
        self.storageClass = storageClass
    }
}

/// A flexible checksum stored with an object: over the whole object, or composite over its parts (`<b64>-N`).
public struct ObjectChecksum: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case fullObject = "FULL_OBJECT"
        case composite = "COMPOSITE"
    }

    public var algorithm: ChecksumAlgorithm
    /// Base64 of the big-endian digest; composite checksums end in `-<part count>`.
    public var value: String
    public var kind: Kind

    public init(algorithm: ChecksumAlgorithm, value: String, kind: Kind = .fullObject) {
        self.algorithm = algorithm
        self.value = value
        self.kind = kind
    }
}

/// Everything the store knows about one stored object (or one uploaded part): written in the same file as its
/// bytes, so the two are replaced together.
public struct ObjectMetadata: Codable, Sendable, Equatable {
    public var key: String
    public var size: Int64
    /// The ETag without quotes: the MD5 in hex, or `<md5 of the parts' MD5s>-<part count>` for multipart objects.
    public var etag: String
    public var lastModified: Date
    public var attributes: ObjectAttributes
    public var checksum: ObjectChecksum?
    /// The number of parts of a multipart object; nil for single uploads.
    public var partCount: Int?

    public init(
        key: String,
        size: Int64,
        etag: String,
        lastModified: Date,
        attributes: ObjectAttributes = .init(),
        checksum: ObjectChecksum? = nil,
        partCount: Int? = nil
    ) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.attributes = attributes
        self.checksum = checksum
        self.partCount = partCount
    }

    /// The current time in whole milliseconds, the precision metadata is stored with (so a stored object's metadata
    /// reads back equal).
    static func now() -> Date {
        date(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// The instant `milliseconds` after 1970, as metadata stores it.
    static func date(milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// `date` in whole milliseconds after 1970.
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The ETag as HTTP and XML carry it, in double quotes.
    public var quotedETag: String { "\"\(etag)\"" }
}
