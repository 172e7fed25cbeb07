import AWSProtocol
import Foundation
import ObjectStore

/// The objects a transform job reads, from `TransformInput.DataSource.S3DataSource`: every object under an `S3Prefix`,
/// the listed objects of a `ManifestFile` (`[{"prefix": "s3://…/"}, "relative/key", …]`), or the `source-ref` of each
/// line of an `AugmentedManifestFile`. Each comes with the path its output keeps under `S3OutputPath` (the key
/// relative to the prefix, as SageMaker names `<key>.out`).
struct TransformInputs {
    struct Item: Equatable {
        var uri: S3URI
        var relativePath: String
    }

    /// - Throws: `TransformFailure` naming what cannot be read.
    static func items(of request: JSONValue, objects: any ObjectStorage) throws -> [Item] {
        let source = request["TransformInput"]?["DataSource"]?["S3DataSource"] ?? [:]
        let uriText = source["S3Uri"]?.stringValue ?? ""
        guard let uri = S3URI(uriText) else { throw TransformFailure("ClientError: S3Uri '\(uriText)' is not an s3:// URI.") }
        switch source["S3DataType"]?.stringValue ?? "S3Prefix" {
        case "S3Prefix":
            let keys = try read("S3Uri \(uriText)") { try objects.list(bucket: uri.bucket, prefix: uri.key) }.filter { !$0.hasSuffix("/") }
            guard !keys.isEmpty else { throw TransformFailure("ClientError: No objects found under S3Uri \(uriText).") }
            let base = uri.key.lastIndex(of: "/").map { String(uri.key[...$0]) } ?? ""
            return keys.map { Item(uri: S3URI(bucket: uri.bucket, key: $0), relativePath: String($0.dropFirst(base.count))) }
        case "ManifestFile":
            let data = try read("manifest \(uriText)") { try objects.get(uri) }
            guard let entries = try? JSONValue.parse(Array(data)).arrayValue, let prefixText = entries.first?["prefix"]?.stringValue,
                let prefix = S3URI(prefixText)
            else {
                throw TransformFailure(
                    #"ClientError: The manifest \#(uriText) must be JSON like [{"prefix": "s3://bucket/images/"}, "a.jpg", "b.jpg"]."#
                )
            }
            return entries.dropFirst().compactMap(\.stringValue).map { Item(uri: prefix.appending($0), relativePath: $0) }
        case "AugmentedManifestFile":
            let data = try read("manifest \(uriText)") { try objects.get(uri) }
            return try String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).enumerated().map { index, line in
                guard let reference = (try? JSONValue.parse(Array(line.utf8)))?["source-ref"]?.stringValue, let item = S3URI(reference) else {
                    throw TransformFailure("ClientError: Line \(index + 1) of the augmented manifest \(uriText) has no s3:// source-ref.")
                }
                return Item(uri: item, relativePath: String(item.key.split(separator: "/").last ?? ""))
            }
        case let other:
            throw TransformFailure("ClientError: S3DataType \(other) is not supported for batch transform.")
        }
    }

    private static func read<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw TransformFailure("ClientError: Could not read \(what): \(error).")
        }
    }
}

/// Why a transform job failed: its `FailureReason`.
struct TransformFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
