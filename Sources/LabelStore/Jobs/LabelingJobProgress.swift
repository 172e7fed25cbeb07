import Foundation

/// Keeps a labeling job's status in step with its submitted tasks (`LabelingJobAnswers`): every label write that
/// touches the dataset updates the job in the same transaction, so a job is `Completed` exactly when its last task
/// is submitted (or a stopping condition is met).
enum LabelingJobProgress {
    /// The counters of the job with row id `jobId`.
    static func counters(jobId: Int64, _ db: any LabelSQL) throws -> LabelCounters {
        // COUNT of a column counts its non-NULL values (in SQLite and PostgreSQL alike).
        let row = try db.fetchOne(
            """
            SELECT COUNT(*) AS total,
                   COUNT(item.failureReason) AS failed,
                   COUNT(answer.position) AS labeled,
                   COUNT(CASE WHEN answer.origin = 'machine' THEN 1 END) AS machine
            FROM labelingJobItem item
            LEFT JOIN labelingJobAnswer answer ON answer.jobId = item.jobId AND answer.position = item.position
            WHERE item.jobId = ?
            """,
            [jobId]
        )!
        let (total, failed, labeled, machine): (Int, Int, Int, Int) = (row["total"], row["failed"], row["labeled"], row["machine"])
        return LabelCounters(labeled: labeled, machineLabeled: machine, failed: failed, unlabeled: total - failed - labeled)
    }

    /// Ends the in-progress jobs (over `datasetIds`, or all when nil) whose task availability lifetime has passed
    /// by `now`: their unsubmitted tasks expire and the job is `Completed` with the answers submitted until then,
    /// as Ground Truth completes a job when its tasks expire; `lastModifiedAt` is the moment they expired.
    static func expire(datasetIds: Set<Int64>?, now: Date, _ db: any LabelSQL) throws {
        for job in try expired(datasetIds: datasetIds, now: now, db) {
            try db.execute(
                "UPDATE labelingJob SET status = ?, lastModifiedAt = ? WHERE id = ?",
                [LabelingJob.Status.completed.rawValue, job.expiry, job.id]
            )
        }
    }

    /// The in-progress jobs (over `datasetIds`, all when nil) whose task availability lifetime has passed at `now`.
    static func expired(datasetIds: Set<Int64>?, now: Date, _ db: any LabelSQL) throws -> [(id: Int64, expiry: Date)] {
        try db.fetchAll(
            "SELECT id, datasetId, createdAt, taskAvailabilityLifetimeInSeconds FROM labelingJob WHERE status = ? AND taskAvailabilityLifetimeInSeconds IS NOT NULL",
            [LabelingJob.Status.inProgress.rawValue]
        ).compactMap { job in
            guard datasetIds?.contains(job["datasetId"]) ?? true else { return nil }
            let createdAt: Date = job["createdAt"]
            let lifetime: Int = job["taskAvailabilityLifetimeInSeconds"]
            let expiry = createdAt.addingTimeInterval(TimeInterval(lifetime))
            return now >= expiry ? (job["id"] as Int64, expiry) : nil
        }
    }

    /// Marks the in-progress job over `datasetId` (if any) modified now, and completed when every readable image's
    /// task is submitted or a stopping condition is met.
    static func update(datasetId: Int64, now: Date, _ db: any LabelSQL) throws {
        guard
            let job = try db.fetchOne(
                "SELECT * FROM labelingJob WHERE datasetId = ? AND status = ?",
                [datasetId, LabelingJob.Status.inProgress.rawValue]
            )
        else { return }
        let jobId: Int64 = job["id"]
        let counters = try counters(jobId: jobId, db)
        let inputs = counters.totalLabeled + counters.unlabeled + counters.failedNonRetryableError
        var done = counters.unlabeled == 0
        if let limit: Int = job["maxHumanLabeledObjectCount"], counters.humanLabeled >= limit { done = true }
        if let percent: Int = job["maxPercentageOfInputDatasetLabeled"], counters.humanLabeled * 100 >= percent * inputs { done = true }
        let status = done ? LabelingJob.Status.completed : .inProgress
        try db.execute("UPDATE labelingJob SET status = ?, lastModifiedAt = ? WHERE id = ?", [status.rawValue, now, jobId])
    }
}
