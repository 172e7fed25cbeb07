import Foundation
import GroundTruthFormat

extension LabelStore {
    /// Applies `edits` as one write (one transaction, one revision of the history): all of them or, if any is
    /// refused, none.
    /// - Returns: for each edit, the history entries it appended (the new box's id is in an `add`'s entry).
    /// - Throws: `LabelStoreError`: `.notFound` (image, box), `.invalid` (class, geometry), `.conflict` (nothing
    ///   to undo), `.freeTierExhausted` (a 501st image without the opt-in).
    /// - Parameter origin: who made the write; `.machine` for a model's or a generator's labels.
    @discardableResult
    public func apply(_ edits: [LabelEdit], summary: String? = nil, origin: LabelOrigin = .human, now: Date = Date()) throws -> [[LabelChange]] {
        try write(summary: summary ?? Self.summary(of: edits), origin: origin, now: now) { write in try edits.map { try write.apply($0) } }
    }

    /// Draws a box; returns it with its id.
    public func addBox(_ annotation: GroundTruthAnnotation, toImage imageId: Int64, now: Date = Date()) throws -> LabelBox {
        let change = try apply([.add(imageId: imageId, annotation)], now: now)[0][0]
        return try box(id: change.boxId!)
    }

    /// An image's boxes, oldest first.
    public func boxes(onImage imageId: Int64) throws -> [LabelBox] {
        try database.read { db in
            _ = try StoredImage.fetch(id: imageId, db)
            return try db.fetchAll("SELECT * FROM box WHERE imageId = ? ORDER BY id", [imageId]).map(LabelBox.init)
        }
    }

    /// The box with this id.
    public func box(id: Int64) throws -> LabelBox {
        try database.read { db in
            guard let row = try db.fetchOne("SELECT * FROM box WHERE id = ?", [id]) else {
                throw LabelStoreError(.notFound, "no box with id \(id); `ctl labels show IMAGE` lists an image's boxes")
            }
            return LabelBox(row: row)
        }
    }

    /// Every change ever made to an image's labels, oldest first, undone ones included.
    public func history(ofImage imageId: Int64) throws -> [LabelChange] {
        try database.read { db in
            _ = try StoredImage.fetch(id: imageId, db)
            return try db.fetchAll(LabelChange.selectSQL + " WHERE c.imageId = ? ORDER BY c.id", [imageId]).map(LabelChange.init)
        }
    }

    /// Whether an image is labeled: some change to it is in effect (boxes drawn, or submitted with none).
    public func isLabeled(imageId: Int64) throws -> Bool {
        try database.read { db in try StoredImage.isLabeled(id: imageId, db) }
    }

    /// Runs `body` as one label write: one transaction, checked by `LabelWrite.finish()` before it commits.
    func write<T>(summary: String, origin: LabelOrigin = .human, now: Date, _ body: (inout LabelWrite) throws -> T) throws -> T {
        try database.write { db in
            var write = try LabelWrite(db, now: now, summary: summary, origin: origin)
            let result = try body(&write)
            try write.finish()
            return result
        }
    }

    private static func summary(of edits: [LabelEdit]) -> String {
        guard edits.count == 1, let edit = edits.first else { return "\(edits.count) edits" }
        switch edit {
        case .add(let imageId, _): return "add a box to image \(imageId)"
        case .update(let boxId, _): return "update box \(boxId)"
        case .delete(let boxId): return "delete box \(boxId)"
        case .submit(let imageId): return "submit image \(imageId)"
        case .verify(let imageId, let answer): return "verify image \(imageId): \(answer.verdict.rawValue)"
        case .undo(let imageId): return "undo on image \(imageId)"
        }
    }
}
