import AWSProtocol
import Foundation
import Testing

@testable import ObjectStore

@Suite final class MultipartUploadTests {
    let store: ObjectStore
    let uri = S3URI(bucket: "bees", key: "big/object.bin")
    static let minimum = Int(ObjectStore.minimumPartSize)

    init() throws {
        store = ObjectStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("apiary-multipart-\(UUID().uuidString)"))
        try store.ensureBucket("bees")
    }

    deinit { try? FileManager.default.removeItem(at: store.root) }

    private func part(_ upload: MultipartUpload, _ number: Int, _ bytes: [UInt8]) throws -> ObjectMetadata {
        let part = try store.beginPart(of: upload, bucket: "bees", checksum: upload.checksumAlgorithm)
        try part.write(bytes)
        return try store.commitPart(part, number: number, of: upload)
    }

    @Test func partsJoinInOrderWithS3sETagAndCompositeChecksum() throws {
        let upload = try store.createMultipartUpload(
            uri,
            attributes: ObjectAttributes(contentType: "x/y"),
            checksumAlgorithm: .crc32,
            checksumKind: .composite
        )
        let first = [UInt8](repeating: 7, count: Self.minimum)
        let second = Array("tail".utf8)
        let p2 = try part(upload, 2, second)
        let p1 = try part(upload, 1, first)
        _ = try part(upload, 3, [9])  // uploaded, not listed: discarded
        let object = try store.completeMultipartUpload(
            bucket: "bees",
            id: upload.id,
            parts: [CompletedPart(number: 1, etag: p1.quotedETag), CompletedPart(number: 2, etag: p2.etag)]
        )
        #expect(object.etag == Digest.hex(Digest.md5(Digest.md5(first) + Digest.md5(second))) + "-2")
        #expect(object.partCount == 2)
        #expect(object.attributes.contentType == "x/y")
        let crcs = Data(base64Encoded: p1.checksum!.value)! + Data(base64Encoded: p2.checksum!.value)!
        #expect(object.checksum == ObjectChecksum(algorithm: .crc32, value: ChecksumAlgorithm.crc32.checksum(of: crcs) + "-2", kind: .composite))
        #expect(try store.get(uri) == Data(first + second))
        #expect(throws: ObjectStoreError.noSuchUpload(upload.id)) { try store.multipartUpload(bucket: "bees", id: upload.id) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.root.appendingPathComponent("bees/.uploads").path).isEmpty)
    }

    @Test func uploadsAndPartsAreListed() throws {
        let later = try store.createMultipartUpload(uri, attributes: .init(), checksumAlgorithm: nil, checksumKind: nil)
        let other = try store.createMultipartUpload(S3URI(bucket: "bees", key: "a"), attributes: .init(), checksumAlgorithm: nil, checksumKind: nil)
        _ = try part(later, 2, [2, 2])
        _ = try part(later, 1, [1])
        #expect(try store.multipartUploads(bucket: "bees").map(\.id) == [other.id, later.id])
        #expect(try store.parts(of: later, bucket: "bees").map(\.number) == [1, 2])
        #expect(try store.parts(of: later, bucket: "bees").map(\.metadata.size) == [1, 2])
        #expect(try store.parts(of: other, bucket: "bees").isEmpty)
    }

    @Test func completionIsValidatedInS3sOrder() throws {
        let upload = try store.createMultipartUpload(uri, attributes: .init(), checksumAlgorithm: nil, checksumKind: nil)
        let small = try part(upload, 1, [1, 2, 3])
        let last = try part(upload, 2, [4])
        #expect(throws: ObjectStoreError.noParts) { try store.completeMultipartUpload(bucket: "bees", id: upload.id, parts: []) }
        #expect(throws: ObjectStoreError.invalidPartOrder) {
            try store.completeMultipartUpload(
                bucket: "bees",
                id: upload.id,
                parts: [.init(number: 2, etag: last.etag), .init(number: 1, etag: small.etag)]
            )
        }
        #expect(throws: ObjectStoreError.invalidPart(3)) {
            try store.completeMultipartUpload(
                bucket: "bees",
                id: upload.id,
                parts: [.init(number: 1, etag: small.etag), .init(number: 3, etag: last.etag)]
            )
        }
        #expect(throws: ObjectStoreError.invalidPart(2)) {
            try store.completeMultipartUpload(
                bucket: "bees",
                id: upload.id,
                parts: [.init(number: 1, etag: small.etag), .init(number: 2, etag: "0")]
            )
        }
        #expect(throws: ObjectStoreError.entityTooSmall(1)) {
            try store.completeMultipartUpload(
                bucket: "bees",
                id: upload.id,
                parts: [.init(number: 1, etag: small.etag), .init(number: 2, etag: last.etag)]
            )
        }
        // A single small part is fine: the last part may be of any size.
        let object = try store.completeMultipartUpload(bucket: "bees", id: upload.id, parts: [.init(number: 1, etag: small.etag)])
        #expect(object.size == 3)
    }

    @Test func abortDiscardsAndIdsAreNeverPaths() throws {
        let upload = try store.createMultipartUpload(uri, attributes: .init(), checksumAlgorithm: nil, checksumKind: nil)
        _ = try part(upload, 1, [1])
        try store.abortMultipartUpload(bucket: "bees", id: upload.id)
        #expect(throws: ObjectStoreError.noSuchUpload(upload.id)) { try store.abortMultipartUpload(bucket: "bees", id: upload.id) }
        #expect(throws: ObjectStoreError.noSuchUpload("../../etc")) { try store.multipartUpload(bucket: "bees", id: "../../etc") }
        #expect(!store.exists(uri))
    }

    @Test func uploadPartCopyTakesARange() throws {
        let source = S3URI(bucket: "bees", key: "source")
        try store.put(Data("0123456789".utf8), at: source)
        let upload = try store.createMultipartUpload(uri, attributes: .init(), checksumAlgorithm: nil, checksumKind: nil)
        let copied = try store.copyPart(from: source, range: 2...4, number: 1, of: upload, bucket: "bees")
        #expect(copied.etag == Digest.hex(Digest.md5(Array("234".utf8))))
        _ = try store.completeMultipartUpload(bucket: "bees", id: upload.id, parts: [.init(number: 1, etag: copied.etag)])
        #expect(try store.get(uri) == Data("234".utf8))
    }
}
