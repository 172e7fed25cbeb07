import Foundation
import GRDB
import GroundTruthFormat

/// The tasks workers have submitted in labeling jobs, as Ground Truth counts them: a job's task (an input line
/// with an image) is done when a write submits its image (`LabelEdit.submit`, an import), and its answer is the
/// image's boxes at that moment. A job's counters, its completion and its output manifest read the answers, so
/// boxes drawn and not yet submitted — or edited after the job finished — are not in its output. Resubmitting
/// while the job is in progress replaces the answer.
enum LabelingJobAnswers {
    /// A submitted task: the boxes, when, and who made the write; a verification task's verdict.
    struct Answer {
        let boxes: [GroundTruthAnnotation]
        let submittedAt: Date
        let origin: LabelOrigin
        var verification: VerificationAnswer? = nil
    }

    /// v4: the answers table; each task of an existing job whose image was labeled gets that labeling as its
    /// answer, so a job made before per-task submission keeps its counters and output.
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE labelingJobAnswer (
                    jobId INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    submittedAt DOUBLE NOT NULL,
                    origin TEXT NOT NULL CHECK (origin IN ('human', 'machine')),
                    boxes TEXT NOT NULL,
                    PRIMARY KEY (jobId, position),
                    FOREIGN KEY (jobId, position) REFERENCES labelingJobItem(jobId, position) ON DELETE CASCADE
                );
                """
        )
        let sql = GRDBLabelSQL(db: db)
        let items = try sql.fetchAll(
            """
            SELECT item.jobId, item.position, item.imageId, revision.at, revision.origin FROM labelingJobItem item
            JOIN labeledImage labeled ON labeled.imageId = item.imageId JOIN revision ON revision.id = labeled.revisionId
            """
        )
        for item in items {
            let boxes = try sql.fetchAll("SELECT * FROM box WHERE imageId = ? ORDER BY id", [item["imageId"] as Int64])
            // The table has no verdict columns yet (v6 adds them).
            try sql.execute(
                "INSERT INTO labelingJobAnswer (jobId, position, submittedAt, origin, boxes) VALUES (?, ?, ?, ?, ?)",
                [
                    item["jobId"] as Int64, item["position"] as Int, item["at"] as Double, item["origin"] as String,
                    try encode(boxes.map { LabelBox(row: $0).annotation }),
                ]
            )
        }
    }

    /// Records the submission of these images' tasks in in-progress jobs: each answer is the image's boxes now (and
    /// for a verification task, its verdict in `verdicts`).
    static func submit(imageIds: Set<Int64>, verdicts: [Int64: VerificationAnswer] = [:], origin: LabelOrigin, now: Date, _ db: any LabelSQL) throws {
        for imageId in imageIds.sorted() {
            guard
                let item = try db.fetchOne(
                    """
                    SELECT item.jobId, item.position FROM labelingJobItem item JOIN labelingJob job ON job.id = item.jobId
                    WHERE item.imageId = ? AND job.status = ?
                    """,
                    [imageId, LabelingJob.Status.inProgress.rawValue]
                )
            else { continue }
            let boxes = try db.fetchAll("SELECT * FROM box WHERE imageId = ? ORDER BY id", [imageId])
            try insert(
                jobId: item["jobId"], position: item["position"],
                Answer(boxes: boxes.map { LabelBox(row: $0).annotation }, submittedAt: now, origin: origin, verification: verdicts[imageId]), db)
        }
    }

    /// A job's answers by input position.
    static func answers(jobId: Int64, _ db: any LabelSQL) throws -> [Int: Answer] {
        var answers: [Int: Answer] = [:]
        for row in try db.fetchAll("SELECT * FROM labelingJobAnswer WHERE jobId = ?", [jobId]) {
            answers[row["position"]] = Answer(
                boxes: try JSONDecoder().decode([GroundTruthAnnotation].self, from: Data((row["boxes"] as String).utf8)),
                submittedAt: Date(timeIntervalSince1970: row["submittedAt"]),
                origin: LabelOrigin(rawValue: row["origin"]) ?? .human,
                verification: (row["verdict"] as String?).flatMap(VerificationAnswer.Verdict.init).map { VerificationAnswer($0, comment: row["comment"]) }
            )
        }
        return answers
    }

    /// v6: a verification task's verdict (`good`, `bad`) and the worker's comment; NULL for other tasks.
    static func migrateToVerification(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE labelingJobAnswer ADD COLUMN verdict TEXT CHECK (verdict IN ('good', 'bad'));
                ALTER TABLE labelingJobAnswer ADD COLUMN comment TEXT CHECK (comment IS NULL OR verdict IS NOT NULL);
                """
        )
    }

    /// Records (or replaces) a task's answer.
    private static func insert(jobId: Int64, position: Int, _ answer: Answer, _ db: any LabelSQL) throws {
        try db.execute(
            """
            INSERT INTO labelingJobAnswer (jobId, position, submittedAt, origin, boxes, verdict, comment) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (jobId, position) DO UPDATE SET submittedAt = excluded.submittedAt, origin = excluded.origin, boxes = excluded.boxes,
                verdict = excluded.verdict, comment = excluded.comment
            """,
            [
                jobId, position, answer.submittedAt.timeIntervalSince1970, answer.origin.rawValue, try encode(answer.boxes),
                answer.verification?.verdict.rawValue, answer.verification?.comment,
            ]
        )
    }

    private static func encode(_ boxes: [GroundTruthAnnotation]) throws -> String {
        String(decoding: try JSONEncoder().encode(boxes), as: UTF8.self)
    }
}
