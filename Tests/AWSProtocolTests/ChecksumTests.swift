import Foundation
import Testing

@testable import AWSProtocol

@Suite struct ChecksumTests {
    private let check = Array("123456789".utf8)

    @Test func crcsMatchTheirCatalogueCheckValues() {
        // The "check" values of the CRC catalogue (the CRC of the ASCII digits 1–9).
        #expect(Digest.hex(digest(CRC32(), check)) == "cbf43926")
        #expect(Digest.hex(digest(ReflectedCRC.crc32c(), check)) == "e3069283")
        #expect(Digest.hex(digest(ReflectedCRC.crc64nvme(), check)) == "ae8b14860a799888")
    }

    @Test func checksumsAsS3SendsThem() {
        // s3-api.md §5.3, and botocore's own values.
        #expect(ChecksumAlgorithm.crc32.checksum(of: Array("hello world".utf8)) == "DUoRhQ==")
        #expect(ChecksumAlgorithm.crc32.checksum(of: [UInt8]()) == "AAAAAA==")
        #expect(ChecksumAlgorithm.crc32c.checksum(of: Array("hello world".utf8)) == "yZRlqg==")
        #expect(ChecksumAlgorithm.sha256.checksum(of: Array("hello world".utf8)) == "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
        #expect(ChecksumAlgorithm.sha1.checksum(of: Array("hello world".utf8)) == "Kq5sNclPz7QV2+lfQIuc6R7oRu0=")
        #expect(ChecksumAlgorithm(name: "crc32c") == .crc32c)
        #expect(ChecksumAlgorithm.crc64nvme.headerName == "x-amz-checksum-crc64nvme")
    }

    @Test func streamingEqualsOneShot() {
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for algorithm in ChecksumAlgorithm.allCases {
            var digest = algorithm.makeDigest()
            for piece in stride(from: 0, to: bytes.count, by: 7_777) { digest.update(bytes[piece..<min(piece + 7_777, bytes.count)]) }
            #expect(Data(digest.finalize()).base64EncodedString() == algorithm.checksum(of: bytes), "\(algorithm)")
        }
        var md5 = LibcryptoDigest(.md5)
        md5.update(Array("hello ".utf8))
        md5.update(Array("world".utf8))
        #expect(Digest.hex(md5.finalize()) == "5eb63bbbe01eeed093cb22bb8f5acdc3")
    }

    private func digest(_ digest: some StreamingDigest, _ bytes: [UInt8]) -> [UInt8] {
        var digest = digest
        digest.update(bytes)
        return digest.finalize()
    }
}
