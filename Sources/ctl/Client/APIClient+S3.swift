import AWSProtocol
import Foundation
import ObjectStore

/// The daemon's S3 API, path-style (`/<bucket>/<key>`) and signed for `s3` as botocore signs it: what `ctl` needs
/// to read images straight from `s3://`.
extension APIClient {
    /// Every key in `bucket` starting with `prefix` (ListObjectsV2, page after page), in S3's order.
    /// - Throws: `APICallError` with S3's code (`NoSuchBucket`, …).
    func objectKeys(bucket: String, prefix: String) async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let page = S3XMLText(try await s3("GET", "/" + Self.encoded(bucket), query: query))
            guard page.isWellFormed else { throw APICallError(code: "MalformedXML", message: "the daemon's object listing could not be read") }
            keys += page.values("Key")
            token = page.values("IsTruncated").first == "true" ? page.values("NextContinuationToken").first : nil
        } while token != nil
        return keys
    }

    /// The bytes of `s3://bucket/key` (GetObject). - Throws: `APICallError` with S3's code (`NoSuchKey`, …).
    func object(bucket: String, key: String) async throws -> Data {
        try await s3("GET", "/" + Self.encoded(bucket) + "/" + Self.encoded(key))
    }

    private func s3(_ method: String, _ path: String, query: [(String, String)] = []) async throws -> Data {
        let rawQuery = query.sorted { $0.0 < $1.0 }.map { Self.encoded($0.0, keeping: "") + "=" + Self.encoded($0.1, keeping: "") }.joined(
            separator: "&"
        )
        let (data, response) = try await signed(
            method,
            path,
            query: rawQuery,
            headers: [("X-Amz-Content-SHA256", Digest.hex(Digest.sha256([UInt8]())))],
            body: [],
            service: "s3",
            pathStyle: .s3
        )
        guard (200..<300).contains(response.statusCode) else {
            let error = S3XMLText(data)
            throw APICallError(code: error.values("Code").first ?? "HTTP \(response.statusCode)", message: error.values("Message").first ?? "")
        }
        return data
    }

    /// `text` percent-encoded as botocore sends it: a bucket or key keeps its `/`, a query value does not.
    private static func encoded(_ text: String, keeping extra: String = "/") -> String {
        SigV4.percentEncode(Array(text.utf8), keeping: extra)
    }
}
