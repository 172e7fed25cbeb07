import Foundation
import GroundTruthFormat

/// A labeled image with its boxes, when its labels last changed and who changed them.
struct LabeledImage {
    let image: StoredImage
    let boxes: [GroundTruthAnnotation]
    let labeledAt: Date
    let origin: LabelOrigin
}

extension LabelStore {
    /// The labeled images of a dataset, in import order, each with its boxes (oldest first).
    static func labeledImages(datasetId: Int64, _ db: any LabelSQL) throws -> [LabeledImage] {
        let rows = try db.fetchAll(
            """
            SELECT image.*, revision.at AS labeledAt, revision.origin AS origin FROM image
            JOIN labeledImage ON labeledImage.imageId = image.id JOIN revision ON revision.id = labeledImage.revisionId
            WHERE image.datasetId = ? ORDER BY image.id
            """,
            [datasetId]
        )
        var boxes: [Int64: [GroundTruthAnnotation]] = [:]
        for row in try db.fetchAll("SELECT * FROM box WHERE datasetId = ? ORDER BY id", [datasetId]) {
            let box = LabelBox(row: row)
            boxes[box.imageId, default: []].append(box.annotation)
        }
        return rows.map { row in
            let image = StoredImage(row: row)
            return LabeledImage(
                image: image, boxes: boxes[image.id] ?? [], labeledAt: Date(timeIntervalSince1970: row["labeledAt"]),
                origin: LabelOrigin(rawValue: row["origin"]) ?? .human)
        }
    }
}
