import Hummingbird
import ObjectStore

/// ListParts and ListMultipartUploads: what `aws s3api` users and cleanup scripts ask of unfinished uploads.
extension S3Service {
    func listParts(_ context: S3Context) throws -> Response {
        let upload = try ownUpload(context)
        let query = context.request.query
        let maxParts = try Self.pageSize(query["max-parts"], name: "max-parts")
        let marker = try query["part-number-marker"].map { text throws(S3Error) -> Int in
            guard let number = Int(text), number >= 0 else {
                throw S3Error.invalidArgument("Invalid part number marker", name: "part-number-marker", value: text)
            }
            return number
        }
        let remaining = try store.parts(of: upload, bucket: context.bucket).filter { $0.number > marker ?? 0 }
        let page = remaining.prefix(maxParts)
        let result = S3XMLWriter(root: "ListPartsResult") { xml in
            xml.element("Bucket", context.bucket)
            xml.element("Key", upload.key)
            xml.element("UploadId", upload.id)
            xml.element("PartNumberMarker", String(marker ?? 0))
            if let last = page.last, remaining.count > page.count { xml.element("NextPartNumberMarker", String(last.number)) }
            xml.element("MaxParts", String(maxParts))
            xml.element("IsTruncated", remaining.count > page.count ? "true" : "false")
            if let algorithm = upload.checksumAlgorithm { xml.element("ChecksumAlgorithm", algorithm.rawValue) }
            Self.writeOwner(&xml)
            xml.element("StorageClass", upload.attributes.storageClass ?? "STANDARD")
            for part in page {
                xml.element("Part") { xml in
                    xml.element("PartNumber", String(part.number))
                    xml.element("LastModified", S3Date.iso8601(part.metadata.lastModified))
                    xml.element("ETag", part.metadata.quotedETag)
                    xml.element("Size", String(part.metadata.size))
                    if let checksum = part.metadata.checksum { xml.element("Checksum\(checksum.algorithm.rawValue)", checksum.value) }
                }
            }
        }
        return S3Response.xml(result, requestID: context.requestID)
    }

    /// `prefix`, `key-marker` / `upload-id-marker` and `max-uploads`; a `delimiter` is refused (501).
    func listMultipartUploads(_ context: S3Context) throws -> Response {
        let query = context.request.query
        guard query["delimiter"] == nil else { throw S3Error.notImplemented("ListMultipartUploads with a delimiter") }
        let prefix = query["prefix"] ?? ""
        let maxUploads = try Self.pageSize(query["max-uploads"], name: "max-uploads")
        let keyMarker = query["key-marker"] ?? ""
        var uploads = try store.multipartUploads(bucket: context.bucket).filter { $0.key.utf8.starts(with: prefix.utf8) }[...]
        if !keyMarker.isEmpty {
            // Resume after the (key, upload id) marker, in the store's (key, initiation) order; without an id, after the key.
            if let idMarker = query["upload-id-marker"], let index = uploads.firstIndex(where: { $0.key == keyMarker && $0.id == idMarker }) {
                uploads = uploads[(index + 1)...]
            } else {
                uploads = uploads.drop { !keyMarker.utf8.lexicographicallyPrecedes($0.key.utf8) }
            }
        }
        let page = uploads.prefix(maxUploads)
        let truncated = uploads.count > page.count
        let result = S3XMLWriter(root: "ListMultipartUploadsResult") { xml in
            xml.element("Bucket", context.bucket)
            xml.element("KeyMarker", keyMarker)
            xml.element("UploadIdMarker", query["upload-id-marker"] ?? "")
            if truncated, let last = page.last {
                xml.element("NextKeyMarker", last.key)
                xml.element("NextUploadIdMarker", last.id)
            }
            xml.element("Prefix", prefix)
            xml.element("MaxUploads", String(maxUploads))
            xml.element("IsTruncated", truncated ? "true" : "false")
            for upload in page {
                xml.element("Upload") { xml in
                    xml.element("Key", upload.key)
                    xml.element("UploadId", upload.id)
                    xml.element("Initiator") { xml in
                        xml.element("ID", Self.ownerID)
                        xml.element("DisplayName", Self.ownerName)
                    }
                    Self.writeOwner(&xml)
                    xml.element("StorageClass", upload.attributes.storageClass ?? "STANDARD")
                    xml.element("Initiated", S3Date.iso8601(upload.initiated))
                    if let algorithm = upload.checksumAlgorithm { xml.element("ChecksumAlgorithm", algorithm.rawValue) }
                }
            }
        }
        return S3Response.xml(result, requestID: context.requestID)
    }
}
