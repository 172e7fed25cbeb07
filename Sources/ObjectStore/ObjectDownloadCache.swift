import AWSProtocol
import Foundation

/// SageMaker's File mode for a job on a worker node: each object the job reads from a `RemoteObjectStore` is
/// downloaded once into `directory` (a file named by the SHA-256 of its URI, replaced atomically) and read from there
/// after, so the images of a channel cross the network once, not once per epoch. Checking that an object exists
/// downloads it: the channel reader checks every image a manifest names, so they are all here before training starts.
/// Writes go straight through. The job's owner removes the directory with the job's work directory.
struct ObjectDownloadCache: ObjectStorage {
    let remote: RemoteObjectStore
    let directory: URL

    private func cachedFile(_ uri: S3URI) -> URL {
        directory.appendingPathComponent(Digest.hex(Digest.sha256(Array(uri.description.utf8))))
    }

    /// The cached copy of the object, downloaded first if it is not here yet.
    private func fetch(_ uri: S3URI) throws -> URL {
        let file = cachedFile(uri)
        if !FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try remote.download(uri, to: file)
        }
        return file
    }

    func get(_ uri: S3URI) throws -> Data {
        try Data(contentsOf: try fetch(uri), options: .alwaysMapped)
    }

    func exists(_ uri: S3URI) throws -> Bool {
        do {
            _ = try fetch(uri)
            return true
        } catch ObjectStoreError.noSuchKey {
            return false
        } catch ObjectStoreError.noSuchBucket {
            return false
        }
    }

    func bucketExists(_ bucket: String) throws -> Bool { try remote.bucketExists(bucket) }

    func list(bucket: String, prefix: String) throws -> [String] { try remote.list(bucket: bucket, prefix: prefix) }

    @discardableResult
    func put(_ data: Data, at uri: S3URI, attributes: ObjectAttributes) throws -> ObjectMetadata {
        unlink(cachedFile(uri).path)
        return try remote.put(data, at: uri, attributes: attributes)
    }

    func delete(_ uri: S3URI) throws {
        unlink(cachedFile(uri).path)
        try remote.delete(uri)
    }

    func inputCache(in directory: URL) -> any ObjectStorage { self }
}
