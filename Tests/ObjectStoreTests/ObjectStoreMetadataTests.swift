import AWSProtocol
import Foundation
import Testing

@testable import ObjectStore

/// Metadata stored with the bytes, long keys, streaming uploads, buckets.
@Suite final class ObjectStoreMetadataTests {
    let store: ObjectStore

    init() throws {
        store = ObjectStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("apiary-objects-\(UUID().uuidString)"))
        try store.ensureBucket("bees")
    }

    deinit { try? FileManager.default.removeItem(at: store.root) }

    @Test func metadataTravelsWithTheBytes() throws {
        let uri = S3URI(bucket: "bees", key: "a.txt")
        let attributes = ObjectAttributes(contentType: "text/plain", cacheControl: "no-cache", userMetadata: ["color": "Yellow"])
        let stored = try store.put(Data("hello world".utf8), at: uri, attributes: attributes)
        #expect(stored.etag == "5eb63bbbe01eeed093cb22bb8f5acdc3")
        #expect(stored.size == 11)
        let read = try store.metadata(uri)
        #expect(read == stored)
        #expect(read.attributes == attributes)
        #expect(try store.get(uri) == Data("hello world".utf8))
    }

    @Test func streamedUploadComputesETagAndChecksum() throws {
        let upload = try store.beginUpload(bucket: "bees", checksum: .crc32)
        for piece in ["hello", " ", "world"] { try upload.write(Array(piece.utf8)) }
        let uri = S3URI(bucket: "bees", key: "streamed")
        #expect(!store.exists(uri))
        let metadata = try store.commit(upload, key: uri.key, attributes: .init())
        #expect(metadata.checksum == ObjectChecksum(algorithm: .crc32, value: "DUoRhQ=="))
        #expect(metadata.quotedETag == "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"")
        #expect(try store.get(uri) == Data("hello world".utf8))
    }

    @Test func anUncommittedUploadLeavesNothing() throws {
        do {
            let upload = try store.beginUpload(bucket: "bees")
            try upload.write([1, 2, 3])
        }
        #expect(try store.list(bucket: "bees").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.root.appendingPathComponent("bees").path) == [".bucket"])
    }

    @Test func readersKeepTheVersionTheyOpened() throws {
        let uri = S3URI(bucket: "bees", key: "v")
        try store.put(Data([1, 1, 1]), at: uri)
        let reader = try store.open(uri)
        try store.put(Data([2, 2]), at: uri)
        #expect(try reader.readAll() == Data([1, 1, 1]))
        #expect(try store.get(uri) == Data([2, 2]))
    }

    @Test func longKeysAreHashedAndListed() throws {
        // 300 bytes of '/' encode to 900: past the 255-byte file-name limit.
        let long = String(repeating: "/", count: 300)
        let longest = String(repeating: "é", count: 512)
        try store.put(Data([1]), at: S3URI(bucket: "bees", key: long))
        try store.put(Data([2]), at: S3URI(bucket: "bees", key: longest))
        try store.put(Data([3]), at: S3URI(bucket: "bees", key: long + "x"))
        #expect(try store.get(S3URI(bucket: "bees", key: long)) == Data([1]))
        #expect(try store.get(S3URI(bucket: "bees", key: longest)) == Data([2]))
        #expect(try store.list(bucket: "bees") == [long, long + "x", longest])
        #expect(try store.list(bucket: "bees", prefix: "//").count == 2)
        try store.delete(S3URI(bucket: "bees", key: long))
        #expect(try store.list(bucket: "bees") == [long + "x", longest])
    }

    @Test func copyKeepsETagAndMayReplaceAttributes() throws {
        let source = S3URI(bucket: "bees", key: "src")
        let original = try store.put(Data("abc".utf8), at: source, attributes: ObjectAttributes(contentType: "text/plain"))
        let copied = try store.copy(source, to: S3URI(bucket: "bees", key: "dst"), attributes: nil)
        #expect(copied.etag == original.etag)
        #expect(copied.attributes.contentType == "text/plain")
        let replaced = try store.copy(source, to: source, attributes: ObjectAttributes(contentType: "image/png"))
        #expect(replaced.attributes.contentType == "image/png")
        #expect(try store.get(source) == Data("abc".utf8))
    }

    @Test func bucketsAreCreatedListedAndDeletedOnlyWhenEmpty() throws {
        let (info, created) = try store.createBucket("wasps", region: "eu-west-1")
        #expect(created)
        #expect(try store.createBucket("wasps", region: "us-east-1").created == false)
        #expect(try store.bucketInfo("wasps") == info)
        #expect(try store.buckets().map(\.name) == ["bees", "wasps"])
        try store.put(Data([1]), at: S3URI(bucket: "wasps", key: "k"))
        #expect(throws: ObjectStoreError.bucketNotEmpty("wasps")) { try store.deleteBucket("wasps") }
        try store.delete(S3URI(bucket: "wasps", key: "k"))
        try store.deleteBucket("wasps")
        #expect(!store.bucketExists("wasps"))
        #expect(throws: ObjectStoreError.noSuchBucket("wasps")) { try store.deleteBucket("wasps") }
        #expect(throws: ObjectStoreError.invalidBucketName("Wasps")) { try store.createBucket("Wasps", region: "us-east-1") }
    }

    @Test func aFilePlacedByHandIsAnObjectOfItsBytes() throws {
        let file = store.root.appendingPathComponent("bees/manifests%2Ftrain%2Emanifest")
        try Data("{}\n".utf8).write(to: file)
        let uri = S3URI(bucket: "bees", key: "manifests/train.manifest")
        #expect(try store.list(bucket: "bees") == [uri.key])
        #expect(try store.get(uri) == Data("{}\n".utf8))
        let metadata = try store.metadata(uri)
        #expect(metadata.etag == Digest.hex(Digest.md5(Array("{}\n".utf8))))
        #expect(metadata.size == 3 && metadata.key == uri.key)
    }

    @Test func temporariesAreSweptAtStartup() throws {
        let upload = try store.beginUpload(bucket: "bees")
        try upload.write([1])
        store.removeTemporaries()
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.root.appendingPathComponent("bees").path) == [".bucket"])
    }
}
