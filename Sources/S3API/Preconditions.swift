import Foundation
import ObjectStore

/// `If-Match`, `If-None-Match`, `If-Modified-Since`, `If-Unmodified-Since` on GetObject and HeadObject
/// (s3-api.md §3.3), and their `x-amz-copy-source-if-…` forms on CopyObject, evaluated as RFC 7232 orders them. ETags
/// compare without quotes; `*` matches any object.
enum Preconditions {
    enum Outcome: Equatable {
        case proceed
        /// Not modified since, by the condition named.
        case notModified(String)
    }

    /// - Parameter prefix: `x-amz-copy-source-` for a copy's source.
    /// - Throws: `PreconditionFailed` (412).
    static func evaluate(_ request: S3Request, metadata: ObjectMetadata, prefix: String = "") throws(S3Error) -> Outcome {
        // HTTP dates have whole seconds.
        let modified = Date(timeIntervalSince1970: metadata.lastModified.timeIntervalSince1970.rounded(.down))
        if let ifMatch = request.header(prefix + "if-match") {
            guard matches(ifMatch, metadata.etag) else { throw failed(prefix + "If-Match") }
        } else if let since = request.header(prefix + "if-unmodified-since").flatMap(S3Date.parseHTTP), modified > since {
            throw failed(prefix + "If-Unmodified-Since")
        }
        if let ifNoneMatch = request.header(prefix + "if-none-match") {
            if matches(ifNoneMatch, metadata.etag) { return .notModified(prefix + "If-None-Match") }
        } else if let since = request.header(prefix + "if-modified-since").flatMap(S3Date.parseHTTP), modified <= since {
            return .notModified(prefix + "If-Modified-Since")
        }
        return .proceed
    }

    /// Whether a comma-separated list of (quoted) ETags names `etag`.
    private static func matches(_ list: String, _ etag: String) -> Bool {
        list.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) == etag
        }
    }

    /// `PreconditionFailed` (412) naming the condition that did not hold.
    static func failed(_ condition: String) -> S3Error {
        S3Error(
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold",
            status: 412,
            details: [("Condition", condition)]
        )
    }
}
