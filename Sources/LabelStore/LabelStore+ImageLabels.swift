import Foundation

/// An image's labels as an editor sees them: its boxes, whether it is labeled, and the revision they are at.
public struct ImageLabels: Sendable, Equatable {
    public let image: StoredImage
    public let boxes: [LabelBox]
    public let isLabeled: Bool
    /// The latest write that touched the image (0 before any): an editor sends it back with its next edits, so
    /// a write made meanwhile elsewhere (another tab, `ctl labels`) is detected instead of overwritten.
    public let revision: Int64
}

extension LabelStore {
    /// An image's boxes, labeled state and revision, read together.
    public func labels(ofImage imageId: Int64) throws -> ImageLabels {
        try database.read { db in try Self.labels(ofImage: imageId, db) }
    }

    /// Applies `edits` to one image as one write, only if the image is still at `revision` (optimistic
    /// concurrency for editors).
    /// - Returns: the history entries appended and the image's labels after the write.
    /// - Throws: `LabelStoreError`: `.conflict` with a message saying so when another write touched the image
    ///   since `revision` (nothing is changed); `.invalid` when an edit reaches another image's box; and
    ///   whatever `apply(_:)` throws.
    public func apply(
        _ edits: [LabelEdit],
        toImage imageId: Int64,
        atRevision revision: Int64,
        now: Date = Date()
    ) throws -> (
        changes: [LabelChange], labels: ImageLabels
    ) {
        try write(summary: edits.count == 1 ? "edit image \(imageId)" : "\(edits.count) edits on image \(imageId)", now: now) { write in
            let current = try Self.revision(ofImage: imageId, write.db)
            guard current == revision else {
                throw LabelStoreError(
                    .conflict,
                    "image \(imageId) was changed elsewhere (another tab or `ctl labels`) since you loaded it (revision \(revision), now "
                        + "\(current)); nothing was saved — reload the image to see its current boxes"
                )
            }
            let changes = try edits.flatMap { try write.apply($0) }
            if let other = changes.first(where: { $0.imageId != imageId }) {
                throw LabelStoreError(.invalid, "box \(other.boxId ?? 0) is on image \(other.imageId), not on image \(imageId)")
            }
            return (changes, try Self.labels(ofImage: imageId, write.db))
        }
    }

    static func labels(ofImage imageId: Int64, _ db: any LabelSQL) throws -> ImageLabels {
        ImageLabels(
            image: try StoredImage.fetch(id: imageId, db),
            boxes: try db.fetchAll("SELECT * FROM box WHERE imageId = ? ORDER BY id", [imageId]).map(LabelBox.init),
            isLabeled: try StoredImage.isLabeled(id: imageId, db),
            revision: try revision(ofImage: imageId, db)
        )
    }

    static func revision(ofImage imageId: Int64, _ db: any LabelSQL) throws -> Int64 {
        try db.value(Int64.self, "SELECT MAX(revisionId) FROM labelChange WHERE imageId = ?", [imageId]) ?? 0
    }
}
