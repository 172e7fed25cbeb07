import CCrypto

/// The message digests AWS protocols need, computed by OpenSSL's libcrypto: SHA-256 and HMAC-SHA256 for SigV4,
/// MD5 for S3 ETags and `Content-MD5`.
public enum Digest {
    /// The SHA-256 digest (32 bytes) of `bytes`.
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, EVP_sha256())
    }

    /// The MD5 digest (16 bytes) of `bytes`.
    public static func md5(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, EVP_md5())
    }

    /// The HMAC-SHA256 (32 bytes) of `data` under `key`.
    public static func hmacSHA256(key: some Collection<UInt8>, data: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = withNonNullBuffer(key) { k, keyCount in
            withNonNullBuffer(data) { d, dataCount in
                HMAC(EVP_sha256(), k, Int32(keyCount), d, dataCount, &out, &length)
            }
        }
        precondition(result != nil, "libcrypto HMAC-SHA256 failed")
        return Array(out.prefix(Int(length)))
    }

    /// `bytes` as lowercase hexadecimal, two digits a byte.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func digest(_ bytes: some Collection<UInt8>, _ type: OpaquePointer?) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = withNonNullBuffer(bytes) { EVP_Digest($0, $1, &out, &length, type, nil) }
        precondition(ok == 1, "libcrypto EVP_Digest failed")
        return Array(out.prefix(Int(length)))
    }

    /// Calls `body` with a pointer to `bytes` and their count; the pointer is valid even for no bytes (an empty
    /// Swift array may have none, and libcrypto treats a null key as "reuse the previous one").
    private static func withNonNullBuffer<R>(_ bytes: some Collection<UInt8>, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        let array = Array(bytes)
        let storage = array.isEmpty ? [0] : array
        return storage.withUnsafeBufferPointer { body($0.baseAddress!, array.count) }
    }
}
