import Foundation
import GroundTruthFormat

extension LabelStore {
    /// Ground Truth's limit on a job's input manifest.
    public static let maxLabelingJobItems = 100_000

    /// Creates a labeling job: reads every image the input manifest names, stores the readable ones in the job's
    /// dataset `labeling-job/<name>` with the job's classes, and records each line (and, for an unreadable image,
    /// why). The job starts `InProgress` — or `Completed` if no line has an image left to label.
    /// - Parameter loadImage: the bytes of the image a `source-ref` names (the daemon reads `s3://` URIs from
    ///   its object store); a throw marks that line failed (`FailedNonRetryableError`) with the error's text.
    /// - Throws: `LabelStoreError`: `.invalid` for a bad name, attribute name, category config or manifest line;
    ///   `.conflict` when a job of that name exists.
    @discardableResult
    public func createLabelingJob(_ request: LabelingJobRequest, now: Date = Date(), loadImage: (String) throws -> [UInt8]) throws -> LabelingJob {
        try Self.validate(request)
        let lines = try Self.inputLines(request)
        let reviews =
            request.taskType.reviewsPreviousBoxes
            ? try AdjustedLabels.sourceAttribute(of: lines.map(\.text), labelAttributeName: request.labelAttributeName, taskType: request.taskType)
            : nil
        try database.read { db in
            if try db.value(Bool.self, "SELECT EXISTS (SELECT 1 FROM labelingJob WHERE name = ?)", [request.name]) == true {
                throw LabelStoreError(.conflict, "a labeling job named '\(request.name)' already exists; job names are unique")
            }
        }
        // Read and check every image before the one transaction that stores the job.
        let prepared: [Result<PreparedImage, LabelStoreError>] = lines.map { line in
            Result(catching: {
                let bytes = try loadImage(line.sourceRef)
                return try PreparedImage(fileName: SourceRef.fileName(of: line.sourceRef), bytes: bytes)
            }).mapError { $0 as? LabelStoreError ?? LabelStoreError(.invalid, "cannot read \(line.sourceRef): \($0)") }
        }
        return try database.write { db in
            let datasetName = LabelingJob.datasetName(ofJob: request.name)
            if try db.value(Bool.self, "SELECT EXISTS (SELECT 1 FROM dataset WHERE name = ?)", [datasetName]) == true {
                throw LabelStoreError(.conflict, "a dataset named '\(datasetName)' already exists; choose another job name")
            }
            let dataset = try Self.ensureDataset(named: datasetName, now: now, db)
            _ = try Self.addCategories(request.categories.names, datasetId: dataset.id, db)
            let jobId = try db.insert(
                """
                INSERT INTO labelingJob (name, labelAttributeName, datasetId, status, maxHumanLabeledObjectCount,
                                         maxPercentageOfInputDatasetLabeled, createdAt, lastModifiedAt, reviewsLabelAttributeName, taskType,
                                         taskAvailabilityLifetimeInSeconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    request.name, request.labelAttributeName, dataset.id, LabelingJob.Status.inProgress.rawValue, request.maxHumanLabeledObjectCount,
                    request.maxPercentageOfInputDatasetLabeled, now, now, reviews, request.taskType.rawValue,
                    request.taskAvailabilityLifetimeInSeconds,
                ]
            )
            var stored: [(line: InputLine, imageId: Int64)] = []
            for (line, image) in zip(lines, prepared) {
                var imageId: Int64?
                var failure: String?
                switch image {
                case .success(let image):
                    do {
                        imageId = try Self.insert(image, datasetId: dataset.id, sourceRef: line.sourceRef, now: now, db).image.id
                    } catch let error as LabelStoreError {
                        failure = error.message  // another image of the same file name
                    }
                case .failure(let error): failure = error.message
                }
                try db.execute(
                    "INSERT INTO labelingJobItem (jobId, position, line, imageId, failureReason) VALUES (?, ?, ?, ?, ?)",
                    [jobId, line.number, line.text, imageId, failure]
                )
                if let imageId { stored.append((line, imageId)) }
            }
            if let reviews {
                try Self.predraw(reviews, of: stored, categories: request.categories.names, job: request.name, type: request.taskType, now: now, db)
            }
            try LabelingJobProgress.update(datasetId: dataset.id, now: now, db)
            return try Self.labelingJob(named: request.name, db)
        }
    }

    /// An adjustment or verification job's starting point: the previous boxes drawn on its images as one
    /// machine-made write, not submitted — the worker adjusts and submits, or verifies, each task.
    private static func predraw(
        _ attribute: String, of stored: [(line: InputLine, imageId: Int64)], categories: [String], job: String, type: LabelingTaskType, now: Date,
        _ db: any LabelSQL
    ) throws {
        let kind = type == .verification ? "verification" : "adjustment"
        var write = try LabelWrite(db, now: now, summary: "the \(attribute) boxes \(kind) job \(job) starts from", origin: .machine, predrawing: true)
        for (line, imageId) in stored {
            do {
                for box in try AdjustedLabels.boxes(in: line.text, attribute: attribute, categories: categories) {
                    _ = try write.apply(.add(imageId: imageId, box))
                }
            } catch let error as LabelStoreError {
                throw LabelStoreError(error.kind, "input manifest line \(line.number): \(error.message)")
            }
        }
        try write.finish()
    }

    /// The labeling job called `name`, with live counters.
    public func labelingJob(named name: String) throws -> LabelingJob {
        try database.read { db in try Self.labelingJob(named: name, db) }
    }

    /// The images of the job whose tasks are submitted (`LabelingJobAnswers`).
    public func submittedImages(ofLabelingJob name: String) throws -> Set<Int64> {
        try database.read { db in
            Set(
                try db.values(
                    Int64.self,
                    """
                    SELECT item.imageId FROM labelingJobItem item JOIN labelingJobAnswer answer USING (jobId, position)
                    WHERE item.jobId = (SELECT id FROM labelingJob WHERE name = ?)
                    """,
                    [name]
                )
            )
        }
    }

    /// The answer submitted for the image's verification task, if it is one and was answered.
    public func verificationAnswer(ofImage imageId: Int64) throws -> VerificationAnswer? {
        try database.read { db in
            let row = try db.fetchOne(
                """
                SELECT answer.verdict, answer.comment FROM labelingJobItem item JOIN labelingJobAnswer answer USING (jobId, position)
                WHERE item.imageId = ? AND answer.verdict IS NOT NULL
                """,
                [imageId]
            )
            return row.flatMap { row in (row["verdict"] as String?).flatMap(VerificationAnswer.Verdict.init).map { VerificationAnswer($0, comment: row["comment"]) } }
        }
    }

    /// All labeling jobs, oldest first.
    public func labelingJobs() throws -> [LabelingJob] {
        try database.read { db in
            try db.values(String.self, "SELECT name FROM labelingJob ORDER BY createdAt, id").map { try Self.labelingJob(named: $0, db) }
        }
    }

    /// Ends the in-progress jobs whose task availability lifetime has passed by `now` (`Completed`, with the
    /// answers submitted until then); the daemon calls it before it reports a job. Writes do it as well.
    public func expireLabelingJobs(now: Date = Date()) throws {
        // Read first: almost every call finds nothing to end, and a write would take the store's one write lock
        // (on PostgreSQL, across every daemon sharing it).
        guard try !database.read({ db in try LabelingJobProgress.expired(datasetIds: nil, now: now, db) }).isEmpty else { return }
        try database.write { db in try LabelingJobProgress.expire(datasetIds: nil, now: now, db) }
    }

    /// Stops an in-progress job: its labels so far become final (`Stopped`). Stopping a finished job changes
    /// nothing.
    @discardableResult
    public func stopLabelingJob(named name: String, now: Date = Date()) throws -> LabelingJob {
        try database.write { db in
            _ = try Self.labelingJob(named: name, db)
            try db.execute(
                "UPDATE labelingJob SET status = ?, lastModifiedAt = ? WHERE name = ? AND status = ?",
                [LabelingJob.Status.stopped.rawValue, now, name, LabelingJob.Status.inProgress.rawValue]
            )
            return try Self.labelingJob(named: name, db)
        }
    }

    /// The job's output manifest, one line per input line in order: a submitted task's line is the input line
    /// (extra keys kept byte for byte) plus its answer under the label attribute and its `-metadata`; any other line
    /// is copied unchanged, as Ground Truth does. Available at any time; final once the job `isFinished`.
    public func outputManifest(ofLabelingJob name: String) throws -> String {
        try database.read { db in
            try Self.jobLines(name, db).map { item in
                try item.answered.map { try $0.outputLine(extending: item.input) } ?? item.input
            }.map { $0 + "\n" }.joined()
        }
    }

    /// A submitted task's label, as the output manifest and the intermediate outputs write it.
    struct AnsweredTask {
        /// The bounding-box label (`source-ref` only, without label, for a verification task).
        let line: GroundTruthManifestLine
        /// A verification task's label.
        let verification: GroundTruthVerificationLabel?
        let at: Date

        func outputLine(extending input: String) throws -> String {
            guard let verification else { return try GroundTruthManifest.encodeLine(line, extending: input) }
            return try GroundTruthManifest.extend(input, withMembersOf: verification.encodeObject())
        }
    }

    /// Each input line of a job in order, with its task's submitted answer once it is (an adjustment job's line
    /// also says whether the worker changed the previous boxes; a verification job's is the verdict).
    static func jobLines(_ name: String, _ db: any LabelSQL) throws -> [(input: String, answered: AnsweredTask?)] {
        let job = try Self.labelingJob(named: name, db)
        let dataset = try Self.dataset(named: job.datasetName, db)
        let categories = try LabelCategory.fetchAll(datasetId: dataset.id, db).map(\.name)
        let jobId = try db.value(Int64.self, "SELECT id FROM labelingJob WHERE name = ?", [name])!
        let answers = try LabelingJobAnswers.answers(jobId: jobId, db)
        let items = try db.fetchAll("SELECT position, line, imageId FROM labelingJobItem WHERE jobId = ? ORDER BY position", [jobId])
        return try items.map { item in
            let input: String = item["line"]
            guard let imageId: Int64 = item["imageId"], let answer = answers[item["position"]] else { return (input, nil) }
            let image = try StoredImage.fetch(id: imageId, db)
            let sourceRef = image.sourceRef ?? image.fileName
            if job.taskType == .verification {
                let verdict = answer.verification ?? VerificationAnswer(.good)
                let label = GroundTruthVerificationLabel(
                    labelAttributeName: job.labelAttributeName, className: verdict.verdict.rawValue, jobName: LabelingJob.datasetName(ofJob: name),
                    humanAnnotated: answer.origin == .human ? "yes" : "no", creationDate: GroundTruthLabelLine.creationDate(answer.submittedAt),
                    comments: verdict.comment.map { [$0] } ?? []
                )
                let line = GroundTruthManifestLine(sourceRef: sourceRef, labelAttributeName: job.labelAttributeName, label: nil, metadata: nil)
                return (input, AnsweredTask(line: line, verification: label, at: answer.submittedAt))
            }
            var line = GroundTruthLabelLine.line(
                sourceRef: sourceRef,
                labelAttributeName: job.labelAttributeName,
                jobName: name,
                width: image.width,
                height: image.height,
                boxes: answer.boxes,
                categories: categories,
                labeledAt: answer.submittedAt,
                origin: answer.origin
            )
            if job.taskType == .adjustment, let adjusts = job.reviewsLabelAttributeName {
                let previous = (try? AdjustedLabels.boxes(in: input, attribute: adjusts, categories: categories)) ?? []
                line.metadata?.adjustmentStatus = AdjustedLabels.status(submitted: answer.boxes, previous: previous)
            }
            return (input, AnsweredTask(line: line, verification: nil, at: answer.submittedAt))
        }
    }

    /// Where Ground Truth puts a job's output manifest: `<S3OutputPath><name>/manifests/output/output.manifest`,
    /// the output path kept exactly as given (a `/` is added only when it does not end with one).
    public static func outputManifestURI(s3OutputPath: String, jobName: String) -> String {
        (s3OutputPath.hasSuffix("/") ? s3OutputPath : s3OutputPath + "/") + jobName + "/manifests/output/output.manifest"
    }

    static func labelingJob(named name: String, _ db: any LabelSQL) throws -> LabelingJob {
        guard !name.contains("\0"), let row = try db.fetchOne("SELECT * FROM labelingJob WHERE name = ?", [name]) else {
            throw LabelStoreError(.notFound, "no labeling job named '\(name)'")
        }
        let jobId: Int64 = row["id"]
        let failures = try db.fetchAll(
            "SELECT position, failureReason FROM labelingJobItem WHERE jobId = ? AND failureReason IS NOT NULL ORDER BY position",
            [jobId]
        ).map { LabelingJob.Failure(line: $0["position"], reason: $0["failureReason"]) }
        return LabelingJob(row: row, counters: try LabelingJobProgress.counters(jobId: jobId, db), failures: failures)
    }

    // MARK: Checking a request

    /// One non-blank input manifest line: its 1-based number, text and `source-ref`.
    private struct InputLine {
        let number: Int
        let text: String
        let sourceRef: String
    }

    private static func validate(_ request: LabelingJobRequest) throws {
        guard request.name.wholeMatch(of: /[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}/) != nil else {
            throw LabelStoreError(
                .invalid,
                "LabelingJobName '\(request.name)' must be 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit"
            )
        }
        let attribute = request.labelAttributeName
        guard attribute.wholeMatch(of: /[a-zA-Z0-9](-*[a-zA-Z0-9]){0,126}/) != nil, !attribute.hasSuffix("-metadata"), !attribute.hasSuffix("-ref")
        else {
            throw LabelStoreError(
                .invalid,
                "LabelAttributeName '\(attribute)' must be letters, digits and hyphens, and not end with -metadata or -ref (for bounding boxes)"
            )
        }
        do {
            try request.categories.validate()
        } catch let error as LabelCategoryConfigError {
            throw LabelStoreError(.invalid, "label category config: \(error.reason)")
        }
        if let count = request.maxHumanLabeledObjectCount, count < 1 {
            throw LabelStoreError(.invalid, "MaxHumanLabeledObjectCount must be 1 or more, got \(count)")
        }
        if let percent = request.maxPercentageOfInputDatasetLabeled, !(1...100).contains(percent) {
            throw LabelStoreError(.invalid, "MaxPercentageOfInputDatasetLabeled must be 1 to 100, got \(percent)")
        }
        if let lifetime = request.taskAvailabilityLifetimeInSeconds, lifetime < 1 {
            throw LabelStoreError(.invalid, "TaskAvailabilityLifetimeInSeconds must be 1 or more, got \(lifetime)")
        }
    }

    private static func inputLines(_ request: LabelingJobRequest) throws -> [InputLine] {
        var lines: [InputLine] = []
        for (offset, raw) in request.inputManifest.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            let place = "input manifest line \(offset + 1)"
            guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
                throw LabelStoreError(.invalid, "\(place) is not a JSON object")
            }
            guard let sourceRef = object["source-ref"] as? String, !sourceRef.isEmpty else {
                throw LabelStoreError(.invalid, #"\#(place) has no "source-ref" (an image job's lines are {"source-ref": "s3://…"})"#)
            }
            for key in [request.labelAttributeName, request.labelAttributeName + "-metadata"] where object[key] != nil {
                throw LabelStoreError(.invalid, "\(place) already has \"\(key)\"; choose another LabelAttributeName")
            }
            lines.append(InputLine(number: offset + 1, text: text, sourceRef: sourceRef))
        }
        guard !lines.isEmpty else { throw LabelStoreError(.invalid, "the input manifest has no lines") }
        guard lines.count <= maxLabelingJobItems else {
            throw LabelStoreError(.invalid, "the input manifest has \(lines.count) lines; a labeling job takes at most \(maxLabelingJobItems)")
        }
        return lines
    }
}
