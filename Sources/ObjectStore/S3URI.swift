/// An `s3://bucket/key` URI, as every location inside Apiary is named (training channels, manifests, artifacts).
public struct S3URI: Sendable, Hashable, CustomStringConvertible {
    public var bucket: String
    /// The object key or key prefix; may be empty (the whole bucket).
    public var key: String

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// Parses `s3://bucket/key`; nil for anything else (other schemes, no bucket).
    public init?(_ uri: String) {
        guard uri.hasPrefix("s3://") else { return nil }
        let rest = uri.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else { return nil }
        self.bucket = String(bucket)
        self.key = String(rest.dropFirst(bucket.count + 1))
    }

    public var description: String { "s3://\(bucket)/\(key)" }

    /// This URI with `component` appended after a `/` (none doubled).
    public func appending(_ component: String) -> S3URI {
        if key.isEmpty || key.hasSuffix("/") { return S3URI(bucket: bucket, key: key + component) }
        return S3URI(bucket: bucket, key: key + "/" + component)
    }
}
