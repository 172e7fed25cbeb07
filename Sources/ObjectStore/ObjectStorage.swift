import Foundation

/// The object operations jobs use — channels read, models, checkpoints and transform outputs written — so that a job
/// runs the same over the object store on this host (`ObjectStore`) and over a daemon's S3 API from another host
/// (`RemoteObjectStore`, `ctl worker --endpoint-url`). Missing objects and buckets throw `ObjectStoreError.noSuchKey`
/// and `.noSuchBucket` from both.
public protocol ObjectStorage: Sendable {
    /// The object's bytes.
    func get(_ uri: S3URI) throws -> Data
    func exists(_ uri: S3URI) throws -> Bool
    func bucketExists(_ bucket: String) throws -> Bool
    /// Keys in `bucket` starting with `prefix`, in S3's order (UTF-8 byte order).
    func list(bucket: String, prefix: String) throws -> [String]
    /// Stores `data` at `uri` atomically (readers see the old object or the new one), replacing any object there.
    @discardableResult
    func put(_ data: Data, at uri: S3URI, attributes: ObjectAttributes) throws -> ObjectMetadata
    /// Deletes the object if it exists.
    func delete(_ uri: S3URI) throws
    /// What a job reads its File-mode channels through: the store itself when its objects are on this host; for a
    /// remote store, a cache in `directory` that downloads each object once (SageMaker's File mode).
    func inputCache(in directory: URL) -> any ObjectStorage
}

extension ObjectStore: ObjectStorage {
    /// The objects are files on this host already: no copy.
    public func inputCache(in directory: URL) -> any ObjectStorage { self }
}
