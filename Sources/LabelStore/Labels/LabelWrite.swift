import Foundation
import GroundTruthFormat

/// One write to labels, inside one transaction: it gets a revision, changes boxes, appends a history entry for
/// every change, and on `finish()` enforces the free tier and updates labeling jobs — so the write happens
/// whole or not at all.
struct LabelWrite {
    let db: any LabelSQL
    let now: Date
    let summary: String
    let origin: LabelOrigin
    private(set) var changes: [LabelChange] = []
    private var revisionId: Int64?
    private var touchedDatasets: Set<Int64> = []
    /// Images this write submits: their labeling-job tasks get the image's boxes at the end of the write as answer.
    private var submittedImages: Set<Int64> = []
    /// The verification answers this write gives, by image.
    private var verdicts: [Int64: VerificationAnswer] = [:]
    /// Whether this write draws a review job's previous boxes: the one write allowed on a verification job's boxes.
    private let predrawing: Bool
    private var verificationDatasets: [Int64: Bool] = [:]
    private var categoriesByDataset: [Int64: [LabelCategory]] = [:]
    private let labeledBefore: Int

    init(_ db: any LabelSQL, now: Date, summary: String, origin: LabelOrigin, predrawing: Bool = false) throws {
        self.db = db
        self.predrawing = predrawing
        self.now = now
        self.summary = summary
        self.origin = origin
        labeledBefore = try FreeTier.current(db).labeledImages
    }

    /// Applies one edit and returns the history entries it appended (none for a no-op).
    mutating func apply(_ edit: LabelEdit) throws -> [LabelChange] {
        let start = changes.count
        switch edit {
        case .add(let imageId, let annotation): try add(annotation, imageId: imageId)
        case .update(let boxId, let annotation): try update(boxId: boxId, to: annotation)
        case .delete(let boxId): try delete(boxId: boxId)
        case .submit(let imageId): try submit(imageId: imageId)
        case .verify(let imageId, let answer): try verify(imageId: imageId, answer)
        case .undo(let imageId): try undo(imageId: imageId)
        }
        return Array(changes[start...])
    }

    /// Makes an image's boxes exactly `annotations` (an import): boxes already there stay, others are deleted
    /// or added; an image left without boxes is submitted. No change at all when it already matches.
    mutating func replaceBoxes(imageId: Int64, with annotations: [GroundTruthAnnotation]) throws {
        var wanted = annotations
        for box in try boxes(imageId: imageId) {
            if let index = wanted.firstIndex(of: box.annotation) {
                wanted.remove(at: index)
            } else {
                try delete(boxId: box.id)
            }
        }
        for annotation in wanted { try add(annotation, imageId: imageId) }
        try submit(imageId: imageId)
    }

    /// Enforces the free tier and brings labeling jobs over the touched datasets up to date: a job whose task
    /// availability lifetime has passed ends first, so a late submission is not its answer.
    func finish() throws {
        try FreeTier.check(db, labeledBefore: labeledBefore)
        try LabelingJobProgress.expire(datasetIds: touchedDatasets, now: now, db)
        try LabelingJobAnswers.submit(imageIds: submittedImages, verdicts: verdicts, origin: origin, now: now, db)
        for datasetId in touchedDatasets { try LabelingJobProgress.update(datasetId: datasetId, now: now, db) }
    }

    // MARK: Edits

    private mutating func add(_ annotation: GroundTruthAnnotation, imageId: Int64) throws {
        let image = try StoredImage.fetch(id: imageId, db)
        try editable(image)
        try validate(annotation, on: image)
        let boxId = try db.insert(
            #"INSERT INTO box (imageId, datasetId, classId, "left", top, width, height) VALUES (?, ?, ?, ?, ?, ?, ?)"#,
            [imageId, image.datasetId, annotation.classId, annotation.left, annotation.top, annotation.width, annotation.height]
        )
        try record(.add, image: image, boxId: boxId, before: nil, after: annotation)
    }

    private mutating func update(boxId: Int64, to annotation: GroundTruthAnnotation) throws {
        let box = try self.box(id: boxId)
        let image = try StoredImage.fetch(id: box.imageId, db)
        try editable(image)
        try validate(annotation, on: image)
        guard annotation != box.annotation else { return }
        try write(annotation, boxId: boxId)
        try record(.update, image: image, boxId: boxId, before: box.annotation, after: annotation)
    }

    private mutating func delete(boxId: Int64) throws {
        let box = try self.box(id: boxId)
        let image = try StoredImage.fetch(id: box.imageId, db)
        try editable(image)
        try db.execute("DELETE FROM box WHERE id = ?", [boxId])
        try record(.delete, image: image, boxId: boxId, before: box.annotation, after: nil)
    }

    private mutating func submit(imageId: Int64) throws {
        let image = try StoredImage.fetch(id: imageId, db)
        try editable(image)
        try markSubmitted(image)
    }

    /// The image's task is submitted by this write; an image not yet labeled gets a `submit` history entry
    /// (labeled, with no box).
    private mutating func markSubmitted(_ image: StoredImage) throws {
        submittedImages.insert(image.id)
        touchedDatasets.insert(image.datasetId)
        guard try !StoredImage.isLabeled(id: image.id, db) else { return }
        try record(.submit, image: image, boxId: nil, before: nil, after: nil)
    }

    /// A verification task's answer: recorded as the task's submission (the boxes stay as they are).
    private mutating func verify(imageId: Int64, _ answer: VerificationAnswer) throws {
        let image = try StoredImage.fetch(id: imageId, db)
        guard try isVerification(image) else {
            throw LabelStoreError(
                .invalid,
                "image \(imageId) (\(image.fileName)) is not a task of a bounding-box verification job; only those are answered good or bad (submit it instead)"
            )
        }
        if let comment = answer.comment, comment.count > VerificationAnswer.maxCommentLength {
            throw LabelStoreError(.invalid, "the comment has \(comment.count) characters; at most \(VerificationAnswer.maxCommentLength)")
        }
        verdicts[imageId] = answer
        try markSubmitted(image)
    }

    /// Reverses, newest first, the changes to the image made by its latest write still in effect.
    private mutating func undo(imageId: Int64) throws {
        let image = try StoredImage.fetch(id: imageId, db)
        try editable(image)
        let latest = try db.fetchAll(
            """
            SELECT * FROM effectiveChange
            WHERE imageId = ? AND revisionId = (SELECT MAX(revisionId) FROM effectiveChange WHERE imageId = ?)
            ORDER BY id DESC
            """,
            [imageId, imageId]
        )
        guard !latest.isEmpty else {
            throw LabelStoreError(.conflict, "nothing to undo on image \(imageId) (\(image.fileName)): every change to it is already undone")
        }
        for row in latest {
            let changeId: Int64 = row["id"]
            let boxId: Int64? = row["boxId"]
            let before = try LabelChange.decode(row["before"])
            let after = try LabelChange.decode(row["after"])
            switch LabelChange.Action(rawValue: row["action"]) {
            case .add?:
                try db.execute("DELETE FROM box WHERE id = ?", [boxId])
            case .update?:
                if let before, let boxId { try write(before, boxId: boxId) }
            case .delete?:
                if let before {
                    try db.execute(
                        #"INSERT INTO box (id, imageId, datasetId, classId, "left", top, width, height) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"#,
                        [boxId, imageId, image.datasetId, before.classId, before.left, before.top, before.width, before.height]
                    )
                }
            case .submit?, .undo?, nil:
                break
            }
            try record(.undo, image: image, boxId: boxId, before: after, after: before, undoes: changeId)
        }
    }

    // MARK: Helpers

    /// A verification job's images keep the previous job's boxes as drawn: box edits, submit and undo are refused.
    private mutating func editable(_ image: StoredImage) throws {
        guard !predrawing, try isVerification(image) else { return }
        throw LabelStoreError(
            .invalid,
            "\(image.fileName) is a task of a bounding-box verification job: its boxes are read-only; answer it good or bad "
                + #"({"op": "verify", "image": \#(image.id), "answer": "good"} or "bad" with an optional "comment")"#
        )
    }

    private mutating func isVerification(_ image: StoredImage) throws -> Bool {
        if let known = verificationDatasets[image.datasetId] { return known }
        let verifies =
            try db.value(
                Bool.self,
                "SELECT EXISTS (SELECT 1 FROM labelingJob WHERE datasetId = ? AND taskType = ?)",
                [image.datasetId, LabelingTaskType.verification.rawValue]
            ) ?? false
        verificationDatasets[image.datasetId] = verifies
        return verifies
    }

    private mutating func record(
        _ action: LabelChange.Action,
        image: StoredImage,
        boxId: Int64?,
        before: GroundTruthAnnotation?,
        after: GroundTruthAnnotation?,
        undoes: Int64? = nil
    ) throws {
        let revisionId = try revision()
        let changeId = try db.insert(
            #"INSERT INTO labelChange (revisionId, imageId, boxId, action, "before", "after", undoes) VALUES (?, ?, ?, ?, ?, ?, ?)"#,
            [revisionId, image.id, boxId, action.rawValue, try LabelChange.encode(before), try LabelChange.encode(after), undoes]
        )
        let row = try db.fetchOne(LabelChange.selectSQL + " WHERE c.id = ?", [changeId])!
        changes.append(try LabelChange(row: row))
        touchedDatasets.insert(image.datasetId)
    }

    /// This write's revision, created with its first change.
    private mutating func revision() throws -> Int64 {
        if let revisionId { return revisionId }
        let id = try db.insert(
            "INSERT INTO revision (at, summary, origin) VALUES (?, ?, ?)",
            [now.timeIntervalSince1970, summary, origin.rawValue]
        )
        revisionId = id
        return id
    }

    private func write(_ annotation: GroundTruthAnnotation, boxId: Int64) throws {
        try db.execute(
            #"UPDATE box SET classId = ?, "left" = ?, top = ?, width = ?, height = ? WHERE id = ?"#,
            [annotation.classId, annotation.left, annotation.top, annotation.width, annotation.height, boxId]
        )
    }

    private func box(id: Int64) throws -> LabelBox {
        guard let row = try db.fetchOne("SELECT * FROM box WHERE id = ?", [id]) else {
            throw LabelStoreError(.notFound, "no box with id \(id); `ctl labels show IMAGE` lists an image's boxes")
        }
        return LabelBox(row: row)
    }

    private func boxes(imageId: Int64) throws -> [LabelBox] {
        try db.fetchAll("SELECT * FROM box WHERE imageId = ? ORDER BY id", [imageId]).map(LabelBox.init)
    }

    /// A box must have a class of the image's dataset and lie inside the image.
    private mutating func validate(_ annotation: GroundTruthAnnotation, on image: StoredImage) throws {
        if categoriesByDataset[image.datasetId] == nil {
            categoriesByDataset[image.datasetId] = try LabelCategory.fetchAll(datasetId: image.datasetId, db)
        }
        let categories = categoriesByDataset[image.datasetId] ?? []
        guard categories.contains(where: { $0.classId == annotation.classId }) else {
            throw LabelStoreError(
                .invalid,
                "class id \(annotation.classId) is not a class of this dataset; its classes are \(LabelCategory.list(categories))"
            )
        }
        if let problem = BoxGeometry.problem(annotation, width: image.width, height: image.height) {
            throw LabelStoreError(
                .invalid,
                "box \(BoxGeometry.describe(annotation)) on \(image.fileName) (\(image.width)×\(image.height)): \(problem)"
            )
        }
    }
}
