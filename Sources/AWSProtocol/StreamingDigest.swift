import CCrypto

/// A digest computed over bytes that arrive in pieces (an upload streamed to disk), so no body is ever held whole.
public protocol StreamingDigest {
    /// Feeds the next bytes.
    mutating func update(_ bytes: UnsafeRawBufferPointer)
    /// The digest of every byte fed so far, big-endian, as AWS headers encode it.
    func finalize() -> [UInt8]
}

extension StreamingDigest {
    /// Feeds the next bytes.
    public mutating func update(_ bytes: some Collection<UInt8>) {
        let array = Array(bytes)
        array.withUnsafeBytes { update($0) }
    }
}

/// MD5, SHA-1 or SHA-256 over libcrypto's incremental `EVP_Digest*` interface.
public struct LibcryptoDigest: StreamingDigest {
    /// The three message digests S3 uses: MD5 for ETags, SHA-1 and SHA-256 for `x-amz-checksum-*`.
    public enum Kind: Sendable { case md5, sha1, sha256 }

    private final class Context {
        let pointer: OpaquePointer

        init(_ kind: Kind) {
            pointer = EVP_MD_CTX_new()!
            let type: OpaquePointer? =
                switch kind {
                case .md5: EVP_md5()
                case .sha1: EVP_sha1()
                case .sha256: EVP_sha256()
                }
            precondition(EVP_DigestInit_ex(pointer, type, nil) == 1, "libcrypto EVP_DigestInit_ex failed")
        }

        deinit { EVP_MD_CTX_free(pointer) }
    }

    private let context: Context

    public init(_ kind: Kind) {
        context = Context(kind)
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        precondition(EVP_DigestUpdate(context.pointer, base, bytes.count) == 1, "libcrypto EVP_DigestUpdate failed")
    }

    /// The digest so far (the running state is copied, so more bytes may follow).
    public func finalize() -> [UInt8] {
        let copy = EVP_MD_CTX_new()!
        defer { EVP_MD_CTX_free(copy) }
        precondition(EVP_MD_CTX_copy_ex(copy, context.pointer) == 1, "libcrypto EVP_MD_CTX_copy_ex failed")
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        precondition(EVP_DigestFinal_ex(copy, &out, &length) == 1, "libcrypto EVP_DigestFinal_ex failed")
        return Array(out.prefix(Int(length)))
    }
}
