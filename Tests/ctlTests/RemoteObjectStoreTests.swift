import AWSProtocol
import Foundation
import ObjectStore
import Testing

/// `RemoteObjectStore`, what `ctl worker --endpoint-url` reaches objects through, against a live daemon under
/// `--auth verify` (so every request's SigV4 signature and payload hash are checked): each operation jobs use
/// answers as the local `ObjectStore` does, a large object goes up in parts, the File-mode cache downloads once.
@Suite("RemoteObjectStore: a daemon's objects through its S3 API", .serialized)
struct RemoteObjectStoreTests {
    static let credentials = (id: "AKIAAPIARYWORKER0000", secret: "worker-secret")

    static func remote(_ daemon: LiveDaemon, secret: String = credentials.secret, scratch: URL) -> RemoteObjectStore {
        var environment = ["AWS_ACCESS_KEY_ID": credentials.id, "AWS_SECRET_ACCESS_KEY": secret]
        environment["AWS_REGION"] = "us-east-1"
        return RemoteObjectStore(
            endpoint: S3Endpoint(url: URL(string: daemon.url)!, credentials: ClientCredentials(environment: environment)), scratch: scratch)
    }

    @Test("get, exists, list, put (single and multipart), delete and the File-mode cache answer as the local store does")
    func operations() throws {
        let daemon = try LiveDaemon(extraArguments: ["--auth", "verify", "--credentials", "\(Self.credentials.id):\(Self.credentials.secret)"])
        defer { daemon.terminate() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-remote-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let local = ObjectStore(root: daemon.home.appendingPathComponent("s3"))
        try local.ensureBucket("bees")
        let remote = Self.remote(daemon, scratch: scratch.appendingPathComponent("tmp"))
        try remote.checkAccess()

        #expect(try remote.bucketExists("bees"))
        #expect(try !remote.bucketExists("no-such-bucket"))
        let small = S3URI(bucket: "bees", key: "dir/a b+c.json")
        try remote.put(Data("{\"a\": 1}".utf8), at: small, attributes: .init(contentType: "application/json"))
        #expect(try local.get(small) == Data("{\"a\": 1}".utf8))
        #expect(try local.metadata(small).attributes.contentType == "application/json")
        #expect(try remote.get(small) == Data("{\"a\": 1}".utf8))
        #expect(try remote.exists(small))
        #expect(try !remote.exists(S3URI(bucket: "bees", key: "dir/missing")))
        #expect(throws: ObjectStoreError.noSuchKey(S3URI(bucket: "bees", key: "dir/missing"))) { try remote.get(S3URI(bucket: "bees", key: "dir/missing")) }
        #expect(throws: ObjectStoreError.noSuchBucket("no-such-bucket")) { try remote.get(S3URI(bucket: "no-such-bucket", key: "k")) }

        // Past 64 MiB: a multipart upload (16 MiB parts), byte for byte, and no upload left behind.
        let large = Data((0..<(65 << 20) + 3).map { UInt8(truncatingIfNeeded: $0 / 7) })
        let big = S3URI(bucket: "bees", key: "dir/big.bin")
        let stored = try remote.put(large, at: big, attributes: .init())
        #expect(stored.etag.hasSuffix("-5"), "\(stored.etag)")
        #expect(try local.metadata(big).partCount == 5)
        #expect(try local.get(big) == large)
        #expect(try local.multipartUploads(bucket: "bees").isEmpty)
        #expect(try remote.get(big) == large)
        #expect(try remote.list(bucket: "bees", prefix: "dir/") == ["dir/a b+c.json", "dir/big.bin"])
        #expect(try remote.list(bucket: "bees", prefix: "") == local.list(bucket: "bees", prefix: ""))

        // The File-mode cache: one download, then read from the file even once the object is gone.
        let cacheDirectory = scratch.appendingPathComponent("input")
        let cache = remote.inputCache(in: cacheDirectory)
        #expect(try cache.exists(small))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cacheDirectory.path).count == 1)
        try local.delete(small)
        #expect(try cache.get(small) == Data("{\"a\": 1}".utf8))
        #expect(try !cache.exists(S3URI(bucket: "bees", key: "dir/missing")))

        try remote.delete(big)
        #expect(!local.exists(big))
        // get's downloads do not stay behind.
        #expect((try? FileManager.default.contentsOfDirectory(atPath: scratch.appendingPathComponent("tmp").path)) ?? [] == [])
    }

    @Test("a wrong secret is refused as a credential error; a port with no daemon is unreachable")
    func accessErrors() throws {
        let daemon = try LiveDaemon(extraArguments: ["--auth", "verify", "--credentials", "\(Self.credentials.id):\(Self.credentials.secret)"])
        defer { daemon.terminate() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-remote-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let error = #expect(throws: S3ClientError.self) { try Self.remote(daemon, secret: "wrong", scratch: scratch).checkAccess() }
        #expect(error?.isCredentialError == true, "\(String(describing: error))")
        let nowhere = RemoteObjectStore(
            endpoint: S3Endpoint(url: URL(string: "http://127.0.0.1:1")!, credentials: ClientCredentials(environment: [:])), scratch: scratch)
        let unreachable = #expect(throws: S3ClientError.self) { try nowhere.checkAccess() }
        if case .unreachable(let url, _)? = unreachable { #expect(url == "http://127.0.0.1:1") } else { Issue.record("\(String(describing: unreachable))") }
    }
}
