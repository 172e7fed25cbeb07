import CCrypto

/// SHA-256 of file contents, as lowercase hex: the identity under which an image is deduplicated.
enum ContentHash {
    static func sha256(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = (bytes.isEmpty ? [0] : bytes).withUnsafeBufferPointer { buffer in
            EVP_Digest(buffer.baseAddress, bytes.count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(ok == 1, "libcrypto EVP_Digest failed")
        return digest.prefix(Int(length)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
