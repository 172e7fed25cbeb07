import HTTPTypes
import Hummingbird
import ObjectStore

/// ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation (s3-api.md §3.1).
extension S3Service {
    /// The fixed owner of every bucket and object.
    static let ownerID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"
    static let ownerName = "apiary"
    static let bucketRegionHeader = HTTPField.Name("x-amz-bucket-region")!

    func listBuckets(_ context: S3Context) throws -> Response {
        let buckets = try store.buckets()
        let document = S3XMLWriter(root: "ListAllMyBucketsResult") { xml in
            Self.writeOwner(&xml)
            xml.element("Buckets") { xml in
                for bucket in buckets {
                    xml.element("Bucket") { xml in
                        xml.element("Name", bucket.name)
                        xml.element("CreationDate", S3Date.iso8601(bucket.creationDate))
                        xml.element("BucketRegion", bucket.region)
                    }
                }
            }
        }
        return S3Response.xml(document, requestID: context.requestID)
    }

    /// us-east-1 answers 200 for a bucket the caller already owns (legacy S3); other regions `BucketAlreadyOwnedByYou`.
    func createBucket(_ context: S3Context) async throws -> Response {
        let body = try await context.xmlBody()
        var constraint: String?
        if !body.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            let configuration = try S3XMLElement.parse(body)
            guard configuration.name == "CreateBucketConfiguration" else { throw S3Error.malformedXML() }
            constraint = configuration.childText("LocationConstraint").flatMap { $0.isEmpty ? nil : $0 }
        }
        if constraint == nil && context.region != "us-east-1" || constraint != nil && constraint != context.region {
            throw S3Error(
                "IllegalLocationConstraintException",
                "The \(constraint ?? "unspecified") location constraint is incompatible for the region specific endpoint this request was sent to."
            )
        }
        let (bucket, created) = try store.createBucket(context.bucket, region: constraint ?? "us-east-1")
        if !created && bucket.region != "us-east-1" {
            throw S3Error(
                "BucketAlreadyOwnedByYou",
                "Your previous request to create the named bucket succeeded and you already own it.",
                status: 409,
                details: [("BucketName", bucket.name)]
            )
        }
        return S3Response.empty(headers: [.location: "/\(bucket.name)"], requestID: context.requestID)
    }

    func headBucket(_ context: S3Context) throws -> Response {
        let bucket = try store.bucketInfo(context.bucket)
        return S3Response.empty(headers: [Self.bucketRegionHeader: bucket.region], requestID: context.requestID)
    }

    func deleteBucket(_ context: S3Context) async throws -> Response {
        let (store, bucket) = (self.store, context.bucket)
        try await BlockingIO.run { try store.deleteBucket(bucket) }
        return S3Response.empty(status: .noContent, requestID: context.requestID)
    }

    func getBucketLocation(_ context: S3Context) throws -> Response {
        let bucket = try store.bucketInfo(context.bucket)
        // us-east-1 is the empty constraint.
        let document = S3XMLWriter(root: "LocationConstraint") { xml in
            if bucket.region != "us-east-1" { xml.text(bucket.region) }
        }
        return S3Response.xml(document, requestID: context.requestID)
    }

    static func writeOwner(_ xml: inout S3XMLWriter) {
        xml.element("Owner") { xml in
            xml.element("ID", ownerID)
            xml.element("DisplayName", ownerName)
        }
    }
}
