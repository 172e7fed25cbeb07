import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird
import ObjectStore

/// A request in S3's terms (s3-api.md §4): the bucket and key decoded once from the raw path (`//`, `..` and trailing
/// `/` are part of keys) — path-style `/<bucket>/<key>`, or virtual-host `<bucket>.localhost` (also under
/// `s3.localhost` and `s3.localhost.localstack.cloud`) with the whole path as the key — the query as decoded
/// name → value (a bare `+` stays a `+`), and the headers.
package struct S3Request {
    let method: HTTPRequest.Method
    /// nil for `/` (the service).
    let bucket: String?
    /// nil when the path names only a bucket (`/B` or `/B/`).
    let key: String?
    /// Query parameters, decoded; the first value of a repeated name wins.
    let query: [String: String]
    let headers: HTTPFields

    /// The host names under which `<bucket>.<name>` addresses a bucket, longest first.
    static let virtualHostBases = ["s3.localhost.localstack.cloud", "s3.localhost", "localhost"]

    /// - Throws: `InvalidURI` when the path is not valid percent-encoded UTF-8.
    init(_ request: Request) throws(S3Error) {
        method = request.method
        headers = request.headers
        let path = request.uri.path.dropFirst(request.uri.path.hasPrefix("/") ? 1 : 0)
        let invalid = S3Error("InvalidURI", "Couldn't parse the specified URI.", details: [("URI", request.uri.path)])
        if let virtualBucket = Self.virtualHostBucket(request.head.authority) {
            bucket = virtualBucket
            guard let key = Self.decode(path) else { throw invalid }
            self.key = key.isEmpty ? nil : key
        } else if path.isEmpty {
            bucket = nil
            key = nil
        } else {
            let slash = path.firstIndex(of: "/")
            guard let name = Self.decode(path[..<(slash ?? path.endIndex)]) else { throw invalid }
            bucket = name
            let rest = slash.map { path[path.index(after: $0)...] } ?? ""
            guard let key = Self.decode(rest) else { throw invalid }
            self.key = key.isEmpty ? nil : key
        }
        var query: [String: String] = [:]
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else { throw invalid }
            if query[name] == nil { query[name] = value }
        }
        self.query = query
    }

    /// The bucket a `Host` of the form `<bucket>.<virtual-host base>[:port]` names, or nil.
    package static func virtualHostBucket(_ authority: String?) -> String? {
        guard let authority, !authority.hasPrefix("[") else { return nil }
        let host = authority.prefix { $0 != ":" }.lowercased()
        for base in virtualHostBases where host.hasSuffix("." + base) {
            let label = String(host.dropLast(base.count + 1))
            return ObjectStore.isValidBucketName(label) ? label : nil
        }
        return nil
    }

    /// The first value of header `name`.
    func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }

    /// Every header as (lower-cased name, value), in arrival order.
    var headerPairs: [(name: String, value: String)] {
        headers.map { (name: $0.name.canonicalName, value: $0.value) }
    }

    /// `%XX` decoded once, as UTF-8; nil when the bytes are not UTF-8.
    static func decode(_ text: Substring) -> String? {
        String(bytes: SigV4.percentDecode(text), encoding: .utf8)
    }
}
