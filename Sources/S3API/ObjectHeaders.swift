import HTTPTypes
import ObjectStore

/// How object attributes travel as HTTP headers: read from a PutObject/CreateMultipartUpload/CopyObject request,
/// written on GetObject/HeadObject answers (s3-api.md §3.2–3.3).
enum ObjectHeaders {
    static let userMetadataPrefix = "x-amz-meta-"
    static let defaultContentType = "binary/octet-stream"

    /// The attributes a request sets; `contentEncoding` is the stored one (without `aws-chunked`).
    static func attributes(of request: S3Request, contentEncoding: String?) -> ObjectAttributes {
        var userMetadata: [String: String] = [:]
        for (name, value) in request.headerPairs where name.hasPrefix(userMetadataPrefix) {
            userMetadata[String(name.dropFirst(userMetadataPrefix.count))] = value
        }
        let storageClass = request.header("x-amz-storage-class")
        return ObjectAttributes(
            contentType: request.header("content-type"),
            contentEncoding: contentEncoding,
            contentDisposition: request.header("content-disposition"),
            contentLanguage: request.header("content-language"),
            cacheControl: request.header("cache-control"),
            expires: request.header("expires"),
            userMetadata: userMetadata,
            storageClass: storageClass == "STANDARD" ? nil : storageClass
        )
    }

    /// The headers describing a stored object: type, ETag, dates, attributes; the full-object checksum when asked.
    /// `response-*` query parameters of a GET override the matching headers.
    static func headers(for metadata: ObjectMetadata, request: S3Request, includeChecksum: Bool) -> HTTPFields {
        let attributes = metadata.attributes
        var headers = HTTPFields()
        headers[.contentType] = attributes.contentType ?? defaultContentType
        headers[.eTag] = metadata.quotedETag
        headers[.lastModified] = S3Date.http(metadata.lastModified)
        headers[.acceptRanges] = "bytes"
        let optional: [(HTTPField.Name, String?)] = [
            (.contentEncoding, attributes.contentEncoding), (.contentDisposition, attributes.contentDisposition),
            (.contentLanguage, attributes.contentLanguage), (.cacheControl, attributes.cacheControl), (.expires, attributes.expires),
            (HTTPField.Name("x-amz-storage-class")!, attributes.storageClass),
        ]
        for (name, value) in optional { if let value { headers[name] = value } }
        for (name, value) in attributes.userMetadata.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name(userMetadataPrefix + name) { headers.append(HTTPField(name: field, value: value)) }
        }
        if let count = metadata.partCount { headers[HTTPField.Name("x-amz-mp-parts-count")!] = String(count) }
        if includeChecksum, let checksum = metadata.checksum {
            headers[HTTPField.Name(checksum.algorithm.headerName)!] = checksum.value
            headers[HTTPField.Name("x-amz-checksum-type")!] = checksum.kind.rawValue
        }
        let overrides: [(String, HTTPField.Name)] = [
            ("response-content-type", .contentType), ("response-content-disposition", .contentDisposition),
            ("response-content-encoding", .contentEncoding), ("response-content-language", .contentLanguage),
            ("response-cache-control", .cacheControl), ("response-expires", .expires),
        ]
        for (parameter, name) in overrides { if let value = request.query[parameter] { headers[name] = value } }
        return headers
    }
}
