import Foundation

/// The flexible checksums of S3 (`x-amz-checksum-<algorithm>`): each a big-endian digest sent base64-encoded.
public enum ChecksumAlgorithm: String, Sendable, CaseIterable, Codable {
    case crc32 = "CRC32"
    case crc32c = "CRC32C"
    case crc64nvme = "CRC64NVME"
    case sha1 = "SHA1"
    case sha256 = "SHA256"

    /// The algorithm a name such as `crc32`, `CRC32C` or `sha256` names (case-insensitive), or nil.
    public init?(name: String) {
        guard let algorithm = Self.allCases.first(where: { $0.rawValue.caseInsensitiveEquals(name) }) else { return nil }
        self = algorithm
    }

    /// The header carrying the checksum, e.g. `x-amz-checksum-crc32`.
    public var headerName: String { "x-amz-checksum-\(rawValue.lowercased())" }

    /// A fresh digest of this algorithm.
    public func makeDigest() -> any StreamingDigest {
        switch self {
        case .crc32: CRC32()
        case .crc32c: ReflectedCRC.crc32c()
        case .crc64nvme: ReflectedCRC.crc64nvme()
        case .sha1: LibcryptoDigest(.sha1)
        case .sha256: LibcryptoDigest(.sha256)
        }
    }

    /// The checksum of `bytes`, base64-encoded as the header carries it.
    public func checksum(of bytes: some Collection<UInt8>) -> String {
        var digest = makeDigest()
        digest.update(bytes)
        return Data(digest.finalize()).base64EncodedString()
    }
}
