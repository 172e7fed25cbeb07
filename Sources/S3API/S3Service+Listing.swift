import AWSProtocol
import Foundation
import Hummingbird
import ObjectStore

/// ListObjectsV2 and ListObjects v1 (s3-api.md §3.7): prefix, delimiter, max-keys, continuation token / start-after
/// (v2), marker (v1), `encoding-type=url`.
extension S3Service {
    static let defaultMaxKeys = 1000

    func listObjects(_ context: S3Context, version: Int) throws -> Response {
        let query = context.request.query
        let prefix = query["prefix"] ?? ""
        let delimiter = query["delimiter"].flatMap { $0.isEmpty ? nil : $0 }
        let urlEncoded = try Self.encodingType(query["encoding-type"])
        let maxKeys = try Self.pageSize(query["max-keys"], name: "max-keys")
        let token = try query["continuation-token"].map(Self.decodeToken)
        let startAfter = query["start-after"]
        let marker = query["marker"]

        var keys = try store.list(bucket: context.bucket, prefix: prefix)[...]
        if version == 2 {
            if let token {
                keys = keys.drop { $0.utf8.lexicographicallyPrecedes(token.utf8) }
            } else if let startAfter {
                keys = keys.drop { !startAfter.utf8.lexicographicallyPrecedes($0.utf8) }
            }
        } else if let marker {
            keys = keys.drop { !marker.utf8.lexicographicallyPrecedes($0.utf8) }
            if let delimiter, marker.hasSuffix(delimiter) { keys = keys.drop { $0.utf8.starts(with: marker.utf8) } }
        }
        let page = ObjectListing(keys: keys, prefix: prefix, delimiter: delimiter, maxKeys: maxKeys)
        let encode = { (value: String) in urlEncoded ? SigV4.percentEncode(Array(value.utf8), keeping: "/") : value }

        let document = S3XMLWriter(root: "ListBucketResult") { xml in
            xml.element("Name", context.bucket)
            xml.element("Prefix", encode(prefix))
            if version == 2 {
                if let token = query["continuation-token"] { xml.element("ContinuationToken", token) }
                if let startAfter { xml.element("StartAfter", encode(startAfter)) }
                xml.element("KeyCount", String(page.entries.count))
            } else {
                xml.element("Marker", encode(marker ?? ""))
                if delimiter != nil, page.isTruncated, let last = page.lastEntry { xml.element("NextMarker", encode(last)) }
            }
            xml.element("MaxKeys", String(maxKeys))
            if let delimiter { xml.element("Delimiter", encode(delimiter)) }
            if urlEncoded { xml.element("EncodingType", "url") }
            xml.element("IsTruncated", page.isTruncated ? "true" : "false")
            if version == 2, let next = page.nextKey { xml.element("NextContinuationToken", Self.encodeToken(next)) }
            for entry in page.entries {
                switch entry {
                case .key(let key):
                    guard let metadata = try? store.metadata(S3URI(bucket: context.bucket, key: key)) else { continue }
                    let withOwner = version == 1 || query["fetch-owner"] == "true"
                    xml.element("Contents") { Self.writeContents(&$0, metadata, key: encode(key), withOwner: withOwner) }
                case .commonPrefix(let commonPrefix):
                    xml.element("CommonPrefixes") { $0.element("Prefix", encode(commonPrefix)) }
                }
            }
        }
        return S3Response.xml(document, requestID: context.requestID)
    }

    private static func writeContents(_ xml: inout S3XMLWriter, _ metadata: ObjectMetadata, key: String, withOwner: Bool) {
        xml.element("Key", key)
        xml.element("LastModified", S3Date.iso8601(metadata.lastModified))
        xml.element("ETag", metadata.quotedETag)
        if let checksum = metadata.checksum {
            xml.element("ChecksumAlgorithm", checksum.algorithm.rawValue)
            xml.element("ChecksumType", checksum.kind.rawValue)
        }
        xml.element("Size", String(metadata.size))
        if withOwner { writeOwner(&xml) }
        xml.element("StorageClass", metadata.attributes.storageClass ?? "STANDARD")
    }

    private static func encodingType(_ value: String?) throws(S3Error) -> Bool {
        guard let value else { return false }
        guard value == "url" else {
            throw S3Error.invalidArgument("Invalid Encoding Method specified in Request", name: "encoding-type", value: value)
        }
        return true
    }

    /// A page-size parameter (`max-keys`, `max-parts`, `max-uploads`): 1…1000, larger values clamped as S3 does, 0 or
    /// none the default of 1000.
    static func pageSize(_ value: String?, name: String) throws(S3Error) -> Int {
        guard let value else { return defaultMaxKeys }
        guard let number = Int(value), number >= 0 else {
            throw S3Error.invalidArgument("Provided \(name) not an integer or within integer range", name: name, value: value)
        }
        return number == 0 ? defaultMaxKeys : min(number, defaultMaxKeys)
    }

    /// The continuation token: the first key of the next page, base64url without padding.
    static func encodeToken(_ key: String) -> String {
        Data(key.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeToken(_ token: String) throws(S3Error) -> String {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard !token.isEmpty, let data = Data(base64Encoded: base64), let key = String(data: data, encoding: .utf8), !key.isEmpty else {
            throw S3Error.invalidArgument("The continuation token provided is incorrect", name: "continuation-token", value: token)
        }
        return key
    }
}
