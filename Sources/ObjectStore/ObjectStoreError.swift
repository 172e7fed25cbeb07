/// Why an object-store call failed.
public enum ObjectStoreError: Error, Equatable, CustomStringConvertible {
    case noSuchBucket(String)
    case noSuchKey(S3URI)
    case invalidBucketName(String)
    case invalidKey(String)
    case keyTooLong(String)
    case bucketNotEmpty(String)
    case noSuchUpload(String)
    /// A part named in a multipart completion is missing, or its ETag or checksum differs.
    case invalidPart(Int)
    case invalidPartOrder
    /// A part other than the last is smaller than 5 MiB.
    case entityTooSmall(Int)
    /// A multipart completion that lists no part.
    case noParts
    case io(String)

    public var description: String {
        switch self {
        case .noSuchBucket(let b): "The specified bucket does not exist: \(b)"
        case .noSuchKey(let uri): "The specified key does not exist: \(uri)"
        case .invalidBucketName(let b): "The specified bucket is not valid: \(b)"
        case .invalidKey(let k): "The specified key is not valid: \(k.debugDescription)"
        case .keyTooLong(let k): "Your key is too long (\(k.utf8.count) bytes; at most \(ObjectStore.maximumKeyLength)): \(k.prefix(64))…"
        case .bucketNotEmpty(let b): "The bucket you tried to delete is not empty: \(b)"
        case .noSuchUpload(let id): "The specified upload does not exist: \(id)"
        case .invalidPart(let n): "One or more of the specified parts could not be found or did not match: part \(n)"
        case .invalidPartOrder: "The list of parts was not in ascending order. Parts must be ordered by part number."
        case .entityTooSmall(let n): "Your proposed upload is smaller than the minimum allowed size: part \(n)"
        case .noParts: "You must specify at least one part"
        case .io(let m): "I/O error: \(m)"
        }
    }
}
