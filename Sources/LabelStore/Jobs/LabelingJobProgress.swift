import Foundation
import GRDB

/// Keeps a labeling job's status in step with its submitted tasks (`LabelingJobAnswers`): every label write that
/// touches the dataset updates the job in the same transaction, so a job is `Completed` exactly when its last task
/// is submitted (or a stopping condition is met).
enum LabelingJobProgress {
    /// The counters of the job with row id `jobId`.
    static func counters(jobId: Int64, _ db: Database) throws -> LabelCounters {
        let row = try Row.fetchOne(
            db,
            cached: """
                SELECT COUNT(*) AS total,
                       COALESCE(SUM(item.failureReason IS NOT NULL), 0) AS failed,
                       COALESCE(SUM(answer.position IS NOT NULL), 0) AS labeled,
                       COALESCE(SUM(answer.origin = 'machine'), 0) AS machine
                FROM labelingJobItem item
                LEFT JOIN labelingJobAnswer answer ON answer.jobId = item.jobId AND answer.position = item.position
                WHERE item.jobId = ?
                """,
            arguments: [jobId]
        )!
        let (total, failed, labeled, machine): (Int, Int, Int, Int) = (row["total"], row["failed"], row["labeled"], row["machine"])
        return LabelCounters(labeled: labeled, machineLabeled: machine, failed: failed, unlabeled: total - failed - labeled)
    }

    /// Ends the in-progress jobs (over `datasetIds`, or all when nil) whose task availability lifetime has passed
    /// by `now`: their unsubmitted tasks expire and the job is `Completed` with the answers submitted until then,
    /// as Ground Truth completes a job when its tasks expire; `lastModifiedAt` is the moment they expired.
    static func expire(datasetIds: Set<Int64>?, now: Date, _ db: Database) throws {
        let jobs = try Row.fetchAll(
            db,
            cached: "SELECT id, datasetId, createdAt, taskAvailabilityLifetimeInSeconds FROM labelingJob WHERE status = ? AND taskAvailabilityLifetimeInSeconds IS NOT NULL",
            arguments: [LabelingJob.Status.inProgress.rawValue]
        )
        for job in jobs where datasetIds?.contains(job["datasetId"]) ?? true {
            let createdAt: Date = job["createdAt"]
            let lifetime: Int = job["taskAvailabilityLifetimeInSeconds"]
            let expiry = createdAt.addingTimeInterval(TimeInterval(lifetime))
            guard now >= expiry else { continue }
            try db.execute(
                cached: "UPDATE labelingJob SET status = ?, lastModifiedAt = ? WHERE id = ?",
                arguments: [LabelingJob.Status.completed.rawValue, expiry, job["id"]]
            )
        }
    }

    /// Marks the in-progress job over `datasetId` (if any) modified now, and completed when every readable image's
    /// task is submitted or a stopping condition is met.
    static func update(datasetId: Int64, now: Date, _ db: Database) throws {
        guard
            let job = try Row.fetchOne(
                db,
                cached: "SELECT * FROM labelingJob WHERE datasetId = ? AND status = ?",
                arguments: [datasetId, LabelingJob.Status.inProgress.rawValue]
            )
        else { return }
        let counters = try counters(jobId: job["id"], db)
        let inputs = counters.totalLabeled + counters.unlabeled + counters.failedNonRetryableError
        var done = counters.unlabeled == 0
        if let limit: Int = job["maxHumanLabeledObjectCount"], counters.humanLabeled >= limit { done = true }
        if let percent: Int = job["maxPercentageOfInputDatasetLabeled"], counters.humanLabeled * 100 >= percent * inputs { done = true }
        let status = done ? LabelingJob.Status.completed : .inProgress
        try db.execute(cached: "UPDATE labelingJob SET status = ?, lastModifiedAt = ? WHERE id = ?", arguments: [status.rawValue, now, job["id"]])
    }
}
