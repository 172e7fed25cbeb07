import Foundation
import ObjectStore

/// `If-Match`, `If-None-Match`, `If-Modified-Since`, `If-Unmodified-Since` on GetObject and HeadObject
/// (s3-api.md §3.3), evaluated as RFC 7232 orders them. ETags compare without quotes; `*` matches any object.
enum Preconditions {
    enum Outcome: Equatable {
        case proceed
        case notModified
    }

    /// - Throws: `PreconditionFailed` (412).
    static func evaluate(_ request: S3Request, metadata: ObjectMetadata) throws(S3Error) -> Outcome {
        // HTTP dates have whole seconds.
        let modified = Date(timeIntervalSince1970: metadata.lastModified.timeIntervalSince1970.rounded(.down))
        if let ifMatch = request.header("if-match") {
            guard matches(ifMatch, metadata.etag) else { throw failed("If-Match") }
        } else if let since = request.header("if-unmodified-since").flatMap(S3Date.parseHTTP), modified > since {
            throw failed("If-Unmodified-Since")
        }
        if let ifNoneMatch = request.header("if-none-match") {
            if matches(ifNoneMatch, metadata.etag) { return .notModified }
        } else if let since = request.header("if-modified-since").flatMap(S3Date.parseHTTP), modified <= since {
            return .notModified
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

    private static func failed(_ condition: String) -> S3Error {
        S3Error(
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold",
            status: 412,
            details: [("Condition", condition)]
        )
    }
}
