import AWSProtocol
import ModelCore
import ObjectStore

/// One object of an `S3Prefix` or `ManifestFile` channel.
struct ChannelObject: Sendable, Equatable {
    var uri: S3URI
    /// The key after the channel's prefix (S3Prefix) or as the manifest lists it (ManifestFile).
    var relativeKey: String
}

extension ChannelReader {
    /// The objects an `S3Prefix` or `ManifestFile` channel names, in key (or manifest) order; every one exists.
    func objects(of channel: TrainingChannelSpec) throws -> [ChannelObject] {
        let objects: [ChannelObject]
        switch channel.dataType {
        case .s3Prefix:
            objects = try prefixObjects(channel)
        case .manifestFile:
            objects = try manifestFileObjects(channel)
        case .augmentedManifestFile:
            throw TrainingClientError(
                "Channel '\(channel.name)' is an AugmentedManifestFile; it must be an S3Prefix or a ManifestFile of JSON annotation files."
            )
        }
        guard !objects.isEmpty else { throw TrainingClientError("Channel '\(channel.name)' (\(channel.uri)) has no objects.") }
        return objects
    }

    /// Every object whose key starts with the channel's key (S3 semantics: a string prefix, not a folder).
    private func prefixObjects(_ channel: TrainingChannelSpec) throws -> [ChannelObject] {
        let prefix = channel.uri
        guard try store.bucketExists(prefix.bucket) else {
            throw TrainingClientError("The bucket '\(prefix.bucket)' of channel '\(channel.name)' (\(prefix)) does not exist.")
        }
        let keys = try store.list(bucket: prefix.bucket, prefix: prefix.key).filter { !$0.hasSuffix("/") }
        guard !keys.isEmpty else { throw TrainingClientError("No objects under \(prefix) (channel '\(channel.name)').") }
        return keys.map { key in
            var relative = key.dropFirst(prefix.key.count)
            while relative.first == "/" { relative = relative.dropFirst() }
            return ChannelObject(uri: S3URI(bucket: prefix.bucket, key: key), relativeKey: String(relative))
        }
    }

    /// A manifest file: `[{"prefix": "s3://bucket/prefix/"}, "relative/key", …]`; each key is appended to the
    /// prefix as is.
    private func manifestFileObjects(_ channel: TrainingChannelSpec) throws -> [ChannelObject] {
        let what = "ManifestFile of channel '\(channel.name)'"
        let data = try fetch(channel.uri, what)
        let shape = "a JSON list [{\"prefix\": \"s3://bucket/prefix/\"}, \"relative/key\", …]"
        guard let list = (try? JSONValue.parse(data))?.arrayValue, let prefixText = list.first?["prefix"]?.stringValue else {
            throw TrainingClientError("The \(what), \(channel.uri), is not \(shape).")
        }
        guard let prefix = S3URI(prefixText) else {
            throw TrainingClientError("The \(what), \(channel.uri), has prefix '\(prefixText)', which is not an s3:// URI.")
        }
        return try list.dropFirst().enumerated().map { index, entry in
            guard let relative = entry.stringValue else {
                throw TrainingClientError("The \(what), \(channel.uri): entry \(index + 1) is \(entry.rendered()), not a key string (\(shape)).")
            }
            let uri = S3URI(bucket: prefix.bucket, key: prefix.key + relative)
            guard try store.exists(uri) else {
                throw TrainingClientError("The \(what), \(channel.uri), lists \(uri), which does not exist.")
            }
            return ChannelObject(uri: uri, relativeKey: relative)
        }
    }
}
