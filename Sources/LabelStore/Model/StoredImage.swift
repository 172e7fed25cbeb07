import Foundation
import ImageCodec

/// An image in a dataset. Its pixels are stored upright (EXIF orientation already applied), so `width` and
/// `height` are what a person sees, and every box is in those coordinates.
public struct StoredImage: Sendable, Equatable {
    public let id: Int64
    public let datasetId: Int64
    /// Unique in the dataset; the path relative to the imported folder, e.g. `hive2/0001.jpg`.
    public let fileName: String
    public let width: Int
    public let height: Int
    /// The orientation the file recorded, already applied to the stored pixels.
    public let orientation: ImageOrientation
    public let format: ImageFormat
    /// SHA-256 of the file as imported (hex).
    public let sha256: String
    /// SHA-256 of the stored upright bytes when they differ from the file's (orientation other than `.up`).
    public let uprightSha256: String?
    /// Where the image came from: a path, or a URI given at import (`s3://bucket/images/0001.jpg`).
    public let sourceRef: String?

    init(row: SQLRow) {
        id = row["id"]
        datasetId = row["datasetId"]
        fileName = row["fileName"]
        width = row["width"]
        height = row["height"]
        orientation = ImageOrientation(rawValue: row["orientation"]) ?? .up
        format = ImageFormat(rawValue: row["format"]) ?? .jpeg
        sha256 = row["sha256"]
        uprightSha256 = row["uprightSha256"]
        sourceRef = row["sourceRef"]
    }
}

extension StoredImage {
    /// The image `id`; `.notFound` (naming how to list ids) when there is none.
    static func fetch(id: Int64, _ db: any LabelSQL) throws -> StoredImage {
        guard let row = try db.fetchOne("SELECT * FROM image WHERE id = ?", [id]) else {
            throw LabelStoreError(.notFound, "no image with id \(id); `ctl labels todo --dataset NAME --all` lists image ids")
        }
        return StoredImage(row: row)
    }
}

extension StoredImage {
    /// Whether image `id` is labeled: some change to it is in effect (boxes drawn, or submitted with none).
    static func isLabeled(id: Int64, _ db: any LabelSQL) throws -> Bool {
        try db.value(Bool.self, "SELECT EXISTS (SELECT 1 FROM labeledImage WHERE imageId = ?)", [id]) ?? false
    }
}
