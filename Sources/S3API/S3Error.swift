import AWSProtocol
import ObjectStore

/// An S3 error: code, message, HTTP status, and the extra elements S3 adds to its `<Error>` body (`BucketName`,
/// `Key`, `ActualObjectSize`, …). Rendered by `S3Response.error`.
package struct S3Error: Error, Equatable, CustomStringConvertible {
    var code: String
    var message: String
    var status: Int
    var details: [(name: String, value: String)]

    package init(_ code: String, _ message: String, status: Int = 400, details: [(name: String, value: String)] = []) {
        self.code = code
        self.message = message
        self.status = status
        self.details = details
    }

    package var description: String { "\(code): \(message)" }

    package static func == (a: S3Error, b: S3Error) -> Bool {
        a.code == b.code && a.message == b.message && a.status == b.status && a.details.elementsEqual(b.details) { $0 == $1 }
    }

    static func noSuchBucket(_ bucket: String) -> S3Error {
        S3Error("NoSuchBucket", "The specified bucket does not exist", status: 404, details: [("BucketName", bucket)])
    }
    static func noSuchKey(_ key: String) -> S3Error {
        S3Error("NoSuchKey", "The specified key does not exist.", status: 404, details: [("Key", key)])
    }
    static func noSuchUpload(_ id: String) -> S3Error {
        S3Error(
            "NoSuchUpload",
            "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
            status: 404,
            details: [("UploadId", id)]
        )
    }
    static func invalidArgument(_ message: String, name: String? = nil, value: String? = nil) -> S3Error {
        var details: [(name: String, value: String)] = []
        if let name { details.append(("ArgumentName", name)) }
        if let value { details.append(("ArgumentValue", value)) }
        return S3Error("InvalidArgument", message, details: details)
    }
    static func invalidRequest(_ message: String) -> S3Error { S3Error("InvalidRequest", message) }
    static func malformedXML() -> S3Error {
        S3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
    }
    static func incompleteBody(_ message: String = "You did not provide the number of bytes specified by the Content-Length HTTP header") -> S3Error {
        S3Error("IncompleteBody", message)
    }
    static func badDigest(_ message: String) -> S3Error { S3Error("BadDigest", message) }
    static func notImplemented(_ what: String) -> S3Error {
        S3Error("NotImplemented", "A header or query you provided implies functionality that is not implemented: \(what)", status: 501)
    }
    static func methodNotAllowed(_ method: String) -> S3Error {
        S3Error("MethodNotAllowed", "The specified method is not allowed against this resource.", status: 405, details: [("Method", method)])
    }
    static func accessDenied(_ message: String = "Access Denied") -> S3Error { S3Error("AccessDenied", message, status: 403) }
    static func internalError(_ message: String) -> S3Error {
        S3Error("InternalError", "We encountered an internal error. Please try again. (\(message))", status: 500)
    }

    /// The S3 error for a failed object-store call.
    init(_ error: ObjectStoreError) {
        switch error {
        case .noSuchBucket(let bucket): self = .noSuchBucket(bucket)
        case .noSuchKey(let uri): self = .noSuchKey(uri.key)
        case .invalidBucketName(let bucket):
            self = S3Error("InvalidBucketName", "The specified bucket is not valid.", details: [("BucketName", bucket)])
        case .invalidKey(let key):
            self = .invalidArgument("Object keys must be 1 to 1024 bytes of UTF-8 without NUL.", name: "key", value: key)
        case .keyTooLong(let key):
            self = S3Error(
                "KeyTooLongError",
                "Your key is too long",
                details: [("MaxSizeAllowed", "\(ObjectStore.maximumKeyLength)"), ("Size", "\(key.utf8.count)")]
            )
        case .bucketNotEmpty(let bucket):
            self = S3Error("BucketNotEmpty", "The bucket you tried to delete is not empty", status: 409, details: [("BucketName", bucket)])
        case .noSuchUpload(let id): self = .noSuchUpload(id)
        case .invalidPart(let number):
            self = S3Error(
                "InvalidPart",
                "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
                details: [("PartNumber", "\(number)")]
            )
        case .invalidPartOrder:
            self = S3Error("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.")
        case .entityTooSmall(let number):
            self = S3Error(
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed object size.",
                details: [("PartNumber", "\(number)"), ("MinSizeAllowed", "\(ObjectStore.minimumPartSize)")]
            )
        case .noParts: self = .invalidRequest("You must specify at least one part")
        case .io(let message): self = .internalError(message)
        }
    }

    /// The S3 form of a SigV4 failure (`AuthMode.authenticate`, `SigV4Verifier.verify`).
    init(authentication error: AWSError) {
        switch error.code {
        case "MissingAuthenticationTokenException": self = .accessDenied()
        case "IncompleteSignatureException": self = S3Error("AuthorizationHeaderMalformed", error.message)
        case "UnrecognizedClientException":
            self = S3Error("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", status: 403)
        case "InvalidSignatureException" where error.message.hasPrefix("Signature expired") || error.message.hasPrefix("Signature not yet"):
            self = S3Error("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", status: 403)
        case "InvalidSignatureException": self = S3Error("SignatureDoesNotMatch", error.message, status: 403)
        default: self = S3Error(error.code, error.message, status: error.status)
        }
    }
}
