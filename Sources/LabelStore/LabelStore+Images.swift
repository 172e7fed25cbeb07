import Foundation

extension LabelStore {
    /// What adding an image file to a dataset did.
    public enum ImageAddition: Sendable, Equatable {
        /// Stored as a new image.
        case added(StoredImage)
        /// The same content (by SHA-256, before or after turning upright) is already in the dataset.
        case duplicate(of: StoredImage)

        public var image: StoredImage {
            switch self {
            case .added(let image), .duplicate(of: let image): image
            }
        }
    }

    /// Which images of a dataset to list.
    public enum ImageFilter: Sendable {
        case all
        /// Boxes drawn, or submitted with none.
        case labeled
        /// Still to label.
        case unlabeled
    }

    /// Adds one image file to a dataset, in one transaction: the image row and its upright bytes together.
    /// - Parameters:
    ///   - fileName: unique in the dataset, e.g. the path relative to an imported folder.
    ///   - sourceRef: where it came from, recorded for manifests (`s3://…`, a path).
    /// - Throws: `LabelStoreError`: `.invalid` for a file that is not a usable image (with the reason),
    ///   `.conflict` when another image already has `fileName`.
    public func addImage(bytes: [UInt8], fileName: String, sourceRef: String?, to dataset: Dataset, now: Date = Date()) throws -> ImageAddition {
        let prepared = try PreparedImage(fileName: fileName, bytes: bytes)
        return try database.write { db in try Self.insert(prepared, datasetId: dataset.id, sourceRef: sourceRef, now: now, db) }
    }

    /// A dataset's images in import order.
    public func images(in dataset: Dataset, _ filter: ImageFilter = .all) throws -> [StoredImage] {
        let condition =
            switch filter {
            case .all: ""
            case .labeled: "AND id IN (SELECT imageId FROM labeledImage)"
            case .unlabeled: "AND id NOT IN (SELECT imageId FROM labeledImage)"
            }
        return try database.read { db in
            try db.fetchAll("SELECT * FROM image WHERE datasetId = ? \(condition) ORDER BY id", [dataset.id]).map(StoredImage.init)
        }
    }

    /// The image with this id.
    public func image(id: Int64) throws -> StoredImage {
        try database.read { db in try StoredImage.fetch(id: id, db) }
    }

    /// The image called `fileName` in `dataset`.
    public func image(named fileName: String, in dataset: Dataset) throws -> StoredImage {
        try database.read { db in
            guard !fileName.contains("\0"),
                let row = try db.fetchOne("SELECT * FROM image WHERE datasetId = ? AND fileName = ?", [dataset.id, fileName])
            else {
                throw LabelStoreError(
                    .notFound,
                    "no image named '\(fileName)' in dataset '\(dataset.name)'; `ctl labels todo --dataset \(dataset.name) --all` lists them"
                )
            }
            return StoredImage(row: row)
        }
    }

    /// The stored (upright) file of an image: JPEG or PNG bytes.
    public func imageBytes(id: Int64) throws -> [UInt8] {
        try database.read { db in
            guard let data = try db.value(Data.self, "SELECT bytes FROM imageContent WHERE imageId = ?", [id]) else {
                throw LabelStoreError(.notFound, "no image with id \(id)")
            }
            return [UInt8](data)
        }
    }

    /// Stores a prepared image unless its content is already in the dataset.
    static func insert(_ prepared: PreparedImage, datasetId: Int64, sourceRef: String?, now: Date, _ db: any LabelSQL) throws -> ImageAddition {
        let hashes = [prepared.sha256, prepared.uprightSha256 ?? prepared.sha256]
        if let row = try db.fetchOne(
            "SELECT * FROM image WHERE datasetId = ? AND (sha256 IN (?, ?) OR uprightSha256 IN (?, ?))",
            [datasetId, hashes[0], hashes[1], hashes[0], hashes[1]]
        ) {
            return .duplicate(of: StoredImage(row: row))
        }
        if let id = try db.value(Int64.self, "SELECT id FROM image WHERE datasetId = ? AND fileName = ?", [datasetId, prepared.fileName]) {
            throw LabelStoreError(
                .conflict,
                "a different image named '\(prepared.fileName)' is already in the dataset (image \(id)); rename the file or use another dataset"
            )
        }
        let id = try db.insert(
            """
            INSERT INTO image (datasetId, sha256, fileName, width, height, orientation, format, uprightSha256, sourceRef, importedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                datasetId, prepared.sha256, prepared.fileName, prepared.width, prepared.height, prepared.orientation.rawValue,
                prepared.format.rawValue, prepared.uprightSha256, sourceRef, now,
            ]
        )
        try db.execute("INSERT INTO imageContent (imageId, bytes) VALUES (?, ?)", [id, Data(prepared.storedBytes)])
        return .added(try StoredImage.fetch(id: id, db))
    }
}
