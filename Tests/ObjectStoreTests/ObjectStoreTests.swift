import Foundation
import Testing

@testable import ObjectStore

@Suite final class ObjectStoreTests {
    let store: ObjectStore

    init() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-objects-\(UUID().uuidString)")
        store = ObjectStore(root: root)
        try store.ensureBucket("bees")
    }

    deinit { try? FileManager.default.removeItem(at: store.root) }

    @Test func parsesS3URIs() {
        #expect(S3URI("s3://bees/manifests/train.manifest") == S3URI(bucket: "bees", key: "manifests/train.manifest"))
        #expect(S3URI("s3://bees") == S3URI(bucket: "bees", key: ""))
        #expect(S3URI("https://bees/x") == nil)
        #expect(S3URI("s3:///x") == nil)
        #expect(S3URI("s3://bees/output/")!.appending("job/output/model.tar.gz").description == "s3://bees/output/job/output/model.tar.gz")
        #expect(S3URI("s3://bees/output")!.appending("job").description == "s3://bees/output/job")
    }

    @Test func putGetListDelete() throws {
        let a = S3URI(bucket: "bees", key: "images/a.jpg")
        let b = S3URI(bucket: "bees", key: "images/b.jpg")
        try store.put(Data([1, 2, 3]), at: b)
        try store.put(Data([4]), at: a)
        try store.put(Data([5]), at: S3URI(bucket: "bees", key: "manifest"))
        #expect(try store.get(a) == Data([4]))
        #expect(try store.list(bucket: "bees", prefix: "images/") == ["images/a.jpg", "images/b.jpg"])
        try store.put(Data([9, 9]), at: a)
        #expect(try store.get(a) == Data([9, 9]))
        try store.delete(a)
        #expect(!store.exists(a))
        #expect(throws: ObjectStoreError.noSuchKey(a)) { try store.get(a) }
    }

    @Test func keysAreDataNotPaths() throws {
        let sneaky = ["../escape", "/absolute", "a/../../b", ".", "..", "a//b", "ünïcode key"]
        for (i, key) in sneaky.enumerated() {
            try store.put(Data([UInt8(i)]), at: S3URI(bucket: "bees", key: key))
        }
        for (i, key) in sneaky.enumerated() {
            #expect(try store.get(S3URI(bucket: "bees", key: key)) == Data([UInt8(i)]))
        }
        #expect(try Set(store.list(bucket: "bees")) == Set(sneaky))
        let outside = try FileManager.default.contentsOfDirectory(atPath: store.root.path)
        #expect(outside == ["bees"])
        #expect(throws: ObjectStoreError.keyTooLong(String(repeating: "k", count: 1025))) {
            try store.put(Data(), at: S3URI(bucket: "bees", key: String(repeating: "k", count: 1025)))
        }
        #expect(throws: ObjectStoreError.invalidKey("a\u{0}b")) { try store.put(Data(), at: S3URI(bucket: "bees", key: "a\u{0}b")) }
    }

    @Test func missingBucketsAndBadNames() {
        #expect(throws: ObjectStoreError.noSuchBucket("wasps")) { try store.put(Data(), at: S3URI(bucket: "wasps", key: "k")) }
        #expect(!ObjectStore.isValidBucketName("Bees"))
        #expect(!ObjectStore.isValidBucketName("b"))
        #expect(!ObjectStore.isValidBucketName("a..b"))
        #expect(!ObjectStore.isValidBucketName("192.168.1.1"))
        #expect(!ObjectStore.isValidBucketName(".tmp-x"))
        #expect(ObjectStore.isValidBucketName("sagemaker-us-east-1-123456789012"))
    }
}
