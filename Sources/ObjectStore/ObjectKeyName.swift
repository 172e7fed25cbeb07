import AWSProtocol

/// How a key becomes a file name: percent-encoded so `/`, `.` and `..` never act as path syntax, or hashed when the
/// encoded name would pass the file system's 255-byte limit (the key itself is then read from the metadata).
enum ObjectKeyName {
    /// Starts every hashed name; `=` is always percent-encoded in the other names, so the two never collide.
    static let hashedPrefix = "="

    /// - Throws: `ObjectStoreError.invalidKey` for an empty key or one with NUL; `.keyTooLong` past 1,024 bytes.
    static func validate(_ key: String) throws {
        guard !key.isEmpty, !key.utf8.contains(0) else { throw ObjectStoreError.invalidKey(key) }
        guard key.utf8.count <= ObjectStore.maximumKeyLength else { throw ObjectStoreError.keyTooLong(key) }
    }

    static func fileName(forKey key: String) -> String {
        let encoded = percentEncoded(key)
        return encoded.utf8.count <= 255 ? encoded : hashedPrefix + Digest.hex(Digest.sha256(key.utf8))
    }

    /// The key of a percent-encoded file name; nil for names the store did not write.
    static func key(fromFileName name: String) -> String? {
        guard let key = name.removingPercentEncoding, percentEncoded(key) == name else { return nil }
        return key
    }

    /// Every byte outside `[A-Za-z0-9-_~]` as `%XX`.
    static func percentEncoded(_ key: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var name = [UInt8]()
        name.reserveCapacity(key.utf8.count)
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                name.append(byte)
            default:
                name += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: name, as: UTF8.self)
    }
}
