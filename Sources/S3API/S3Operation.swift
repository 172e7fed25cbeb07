/// The S3 operations Apiary serves, picked by method, bucket/key and subresource (s3-api.md §2.3).
enum S3Operation: String {
    case listBuckets = "ListBuckets"
    case createBucket = "CreateBucket"
    case headBucket = "HeadBucket"
    case deleteBucket = "DeleteBucket"
    case getBucketLocation = "GetBucketLocation"
    case listObjectsV2 = "ListObjectsV2"
    case listObjects = "ListObjects"
    case deleteObjects = "DeleteObjects"
    case putObject = "PutObject"
    case copyObject = "CopyObject"
    case getObject = "GetObject"
    case headObject = "HeadObject"
    case deleteObject = "DeleteObject"
    case createMultipartUpload = "CreateMultipartUpload"
    case uploadPart = "UploadPart"
    case uploadPartCopy = "UploadPartCopy"
    case completeMultipartUpload = "CompleteMultipartUpload"
    case abortMultipartUpload = "AbortMultipartUpload"
    case listParts = "ListParts"
    case listMultipartUploads = "ListMultipartUploads"

    /// Query names that select a subresource Apiary does not serve (versioning, ACLs, tagging, …).
    static let unservedSubresources: Set<String> = [
        "accelerate", "acl", "analytics", "attributes", "cors", "encryption", "intelligent-tiering", "inventory", "legal-hold",
        "lifecycle", "logging", "metrics", "notification", "object-lock", "ownershipControls", "policy", "policyStatus",
        "publicAccessBlock", "replication", "requestPayment", "restore", "retention", "select", "tagging", "torrent", "versioning",
        "versions", "website", "session", "metadataConfiguration", "metadataTable",
    ]

    /// - Throws: `NotImplemented` (501) for subresources outside the subset, `MethodNotAllowed` (405) otherwise.
    init(_ request: S3Request) throws(S3Error) {
        let query = request.query
        let method = request.method.rawValue
        let unserved = query.keys.filter(Self.unservedSubresources.contains).sorted()
        guard request.bucket != nil else {
            guard method == "GET" else { throw S3Error.methodNotAllowed(method) }
            self = .listBuckets
            return
        }
        if request.key == nil {
            switch method {
            case "POST" where query["delete"] != nil: self = .deleteObjects
            case _ where !unserved.isEmpty: throw S3Error.notImplemented("?\(unserved[0]) on a bucket")
            case "PUT": self = .createBucket
            case "HEAD": self = .headBucket
            case "DELETE": self = .deleteBucket
            case "GET" where query["location"] != nil: self = .getBucketLocation
            case "GET" where query["uploads"] != nil: self = .listMultipartUploads
            case "GET" where query["list-type"] == "2": self = .listObjectsV2
            case "GET": self = .listObjects
            default: throw S3Error.methodNotAllowed(method)
            }
            return
        }
        let isPart = query["uploadId"] != nil && query["partNumber"] != nil
        let isCopy = request.header("x-amz-copy-source") != nil
        switch method {
        case "POST" where query["uploads"] != nil: self = .createMultipartUpload
        case "POST" where query["uploadId"] != nil: self = .completeMultipartUpload
        case "PUT" where isPart: self = isCopy ? .uploadPartCopy : .uploadPart
        case "DELETE" where query["uploadId"] != nil: self = .abortMultipartUpload
        case _ where !unserved.isEmpty: throw S3Error.notImplemented("?\(unserved[0]) on an object")
        case "GET" where query["uploadId"] != nil: self = .listParts
        case "GET" where query["partNumber"] != nil, "HEAD" where query["partNumber"] != nil: throw S3Error.notImplemented("partNumber")
        case "PUT": self = isCopy ? .copyObject : .putObject
        case "GET": self = .getObject
        case "HEAD": self = .headObject
        case "DELETE": self = .deleteObject
        default: throw S3Error.methodNotAllowed(method)
        }
    }
}
