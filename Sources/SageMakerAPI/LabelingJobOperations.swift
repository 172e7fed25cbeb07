import AWSProtocol
import ControlPlane
import Foundation
import GroundTruthFormat
import LabelStore
import ObjectStore

/// CreateLabelingJob, DescribeLabelingJob, ListLabelingJobs, StopLabelingJob (spec §7.8) over the label store.
/// The request is kept as the Describe document, as AWS echoes it; status and counters come from the label store,
/// where `ctl labels … --dataset labeling-job/<name>` (or a worker UI) labels the job's images. The first call that
/// sees a job finished writes its output manifest to `<S3OutputPath><name>/manifests/output/output.manifest` and
/// freezes the document: the check and the write happen in one control-plane transaction, so it happens once. Until
/// then every call also writes the worker and consolidation responses that a submission's own write left out
/// (`LabelingJobResponses`).
struct LabelingJobOperations {
    let store: ControlPlaneStore
    let labels: LabelStore
    let objects: ObjectStore

    private var responses: LabelingJobResponses { LabelingJobResponses(controlPlane: store, labels: labels, objects: objects) }

    func create(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let name = try requiredName(input)
        let arn = context.arn(.labelingJob, name)
        guard try store.resource(.labelingJob, named: name) == nil else { throw Self.nameTaken(name) }
        guard let manifestURI = input["InputConfig"]?["DataSource"]?["S3DataSource"]?["ManifestS3Uri"]?.stringValue else {
            throw AWSError.validation(
                "Apiary labels the images of an input manifest: InputConfig.DataSource.S3DataSource.ManifestS3Uri is required "
                    + "(streaming jobs with an SnsDataSource are not supported)."
            )
        }
        guard let configURI = input["LabelCategoryConfigS3Uri"]?.stringValue else {
            throw AWSError.validation(
                #"LabelCategoryConfigS3Uri is required for a bounding-box labeling job: an s3:// file like {"document-version": "2018-11-28", "labels": [{"label": "bee"}]}."#
            )
        }
        let outputPath = input["OutputConfig"]?["S3OutputPath"]?.stringValue ?? ""
        guard let output = S3URI(outputPath), objects.bucketExists(output.bucket) else {
            throw AWSError.validation("OutputConfig.S3OutputPath '\(outputPath)' must name an existing bucket as s3://bucket/prefix/.")
        }
        let manifest = String(decoding: try read(manifestURI, member: "InputConfig.DataSource.S3DataSource.ManifestS3Uri"), as: UTF8.self)
        let categories: LabelCategoryConfig
        do {
            categories = try LabelCategoryConfig.parse(try read(configURI, member: "LabelCategoryConfigS3Uri"))
        } catch let error as LabelCategoryConfigError {
            throw AWSError.validation("LabelCategoryConfigS3Uri \(configURI): \(error.reason)")
        }
        let stopping = input["StoppingConditions"]
        let request = LabelingJobRequest(
            name: name,
            labelAttributeName: input["LabelAttributeName"]?.stringValue ?? "",
            inputManifest: manifest,
            categories: categories,
            maxHumanLabeledObjectCount: stopping?["MaxHumanLabeledObjectCount"]?.intValue,
            maxPercentageOfInputDatasetLabeled: stopping?["MaxPercentageOfInputDatasetLabeled"]?.intValue,
            // Ground Truth's built-in task type is the one its pre-annotation Lambda names (PRE-AdjustmentBoundingBox, …).
            taskType: input["HumanTaskConfig"]?["PreHumanTaskLambdaArn"]?.stringValue.flatMap(LabelingTaskType.init(preHumanTaskLambdaArn:))
                ?? .boundingBox,
            taskAvailabilityLifetimeInSeconds: input["HumanTaskConfig"]?["TaskAvailabilityLifetimeInSeconds"]?.intValue
        )

        var document = input
        document["Tags"] = nil
        document["LabelingJobArn"] = .string(arn)
        document["LabelingJobStatus"] = .string(LabelingJobStatus.initializing.rawValue)
        document["LabelCounters"] = try Self.render(LabelCounters(labeled: 0, failed: 0, unlabeled: 0))
        document["JobReferenceCode"] = .string(context.account + UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(20))
        document["CreationTime"] = .double(context.now)
        document["LastModifiedTime"] = .double(context.now)
        let record = ResourceRecord(
            kind: .labelingJob,
            name: name,
            arn: arn,
            creationTime: context.now,
            lastModifiedTime: context.now,
            status: LabelingJobStatus.initializing.rawValue,
            document: document
        )
        // The control plane holds the name while the store reads the images; a refusal gives it back.
        guard try store.insert(record, tags: TagOperations.tags(in: input)) else { throw Self.nameTaken(name) }
        do {
            try labels.createLabelingJob(request, now: Date(timeIntervalSince1970: context.now)) { sourceRef in
                guard let uri = S3URI(sourceRef) else { throw LabelStoreError(.invalid, "source-ref '\(sourceRef)' is not an s3:// URI") }
                return [UInt8](try objects.get(uri))
            }
        } catch {
            try store.delete(.labelingJob, named: name)
            guard let error = error as? LabelStoreError else { throw error }
            throw error.kind == .conflict ? AWSError.resourceInUse(error.message) : AWSError.validation(error.message)
        }
        _ = try current(record)
        return ["LabelingJobArn": .string(arn)]
    }

    func describe(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        try labels.expireLabelingJobs(now: Date(timeIntervalSince1970: context.now))
        let job = try current(existing(input))
        var document = job.document
        let tags = try store.tags(of: job.arn)
        if !tags.isEmpty { document["Tags"] = TagOperations.render(tags) }
        return document
    }

    func list(_ input: JSONValue) throws -> JSONValue {
        let query = try ListQuery(input, defaultAscending: true, sortKeys: [.name, .creationTime, .status])
        try labels.expireLabelingJobs()
        let (items, next) = try query.page(try store.resources(.labelingJob).map { try current($0) })
        var output: JSONValue = ["LabelingJobSummaryList": .array(items.map { Self.summary($0.document) })]
        if let next { output["NextToken"] = .string(next) }
        return output
    }

    /// Stops an in-progress job and writes its output manifest with the images labeled so far; stopping a
    /// finished job changes nothing.
    func stop(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        try labels.expireLabelingJobs(now: Date(timeIntervalSince1970: context.now))
        let job = try current(existing(input))
        guard job.status(as: LabelingJobStatus.self) != .initializing else {
            throw AWSError.validation("The labeling job \(job.name) is still reading its input; stop it once it is InProgress.")
        }
        if !Self.isFinal(job) {
            try labels.stopLabelingJob(named: job.name, now: Date(timeIntervalSince1970: context.now))
            _ = try current(job)
        }
        return [:]
    }

    // MARK: Keeping the document current

    /// The job's record brought up to date with the label store. A job seen finished for the first time gets its
    /// output manifest (or, if no image could be read or the manifest cannot be written, `Failed`); a record in a
    /// final status is never changed again. Tasks past their TaskAvailabilityLifetimeInSeconds are expired (the job
    /// completes with what was submitted) once per request, by the operation, before it reads any job.
    private func current(_ record: ResourceRecord) throws -> ResourceRecord {
        guard !Self.isFinal(record) else { return record }
        let job: LabelingJob
        do {
            job = try labels.labelingJob(named: record.name)
        } catch let error as LabelStoreError where error.kind == .notFound {
            // Still being created (Initializing), or labels.sqlite lost the job.
            guard record.status(as: LabelingJobStatus.self) != .initializing else { return record }
            return try finish(
                record.name,
                status: .failed,
                counters: nil,
                modified: nil,
                failure: "ClientError: the label store has no job named \(record.name)"
            )
        }
        // Ground Truth's intermediate outputs not yet written at submission (a failed write, a crash); one that cannot
        // be written now is written by a later call.
        try? responses.sync(job: record.name, outputPath: record.document["OutputConfig"]?["S3OutputPath"]?.stringValue ?? "")
        let counters = try Self.render(job.counters)
        let modified = AWSTimestamp.seconds(job.lastModifiedAt)
        if !job.isFinished {
            guard
                record.status(as: LabelingJobStatus.self) != LabelingJobStatus(job.status) || record.document["LabelCounters"] != counters
                    || record.lastModifiedTime != modified
            else { return record }
            return try store.update(.labelingJob, named: record.name) { record in
                guard !Self.isFinal(record) else { return }
                Self.set(&record, status: LabelingJobStatus(job.status), counters: counters, modified: modified)
            } ?? record
        }
        if job.counters.failedNonRetryableError > 0, job.counters.totalLabeled + job.counters.unlabeled == 0 {
            let first = job.failures.first.map { "; line \($0.line): \($0.reason)" } ?? ""
            return try finish(
                record.name,
                status: .failed,
                counters: counters,
                modified: modified,
                failure: "ClientError: no image of the input manifest could be read\(first)"
            )
        }
        return try finish(record.name, status: LabelingJobStatus(job.status), counters: counters, modified: modified, failure: nil)
    }

    /// Moves the job to its final `status` (with `counters` and `modified`, else keeping the record's), writing the
    /// output manifest unless it failed.
    private func finish(
        _ name: String, status: LabelingJobStatus, counters: JSONValue?, modified: Double?, failure: String?
    ) throws -> ResourceRecord {
        let updated = try store.update(.labelingJob, named: name) { record in
            guard !Self.isFinal(record) else { return }
            Self.set(
                &record,
                status: status,
                counters: counters ?? record.document["LabelCounters"] ?? [:],
                modified: modified ?? record.lastModifiedTime
            )
            var failure = failure
            if failure == nil {
                let outputPath = record.document["OutputConfig"]?["S3OutputPath"]?.stringValue ?? ""
                let uri = LabelStore.outputManifestURI(s3OutputPath: outputPath, jobName: name)
                do {
                    guard let destination = S3URI(uri) else { throw ObjectStoreError.invalidKey(uri) }
                    try objects.put(Data(try labels.outputManifest(ofLabelingJob: name).utf8), at: destination)
                    record.document["LabelingJobOutput"] = ["OutputDatasetS3Uri": .string(uri)]
                } catch let error as ObjectStoreError {
                    failure = "ClientError: could not write the output manifest to \(uri): \(error)"
                }
            }
            if let failure {
                Self.set(&record, status: .failed, counters: record.document["LabelCounters"] ?? [:], modified: record.lastModifiedTime)
                record.document["FailureReason"] = .string(failure)
            }
        }
        guard let updated else { throw Self.notFound(name) }
        return updated
    }

    /// Completed, Stopped or Failed: the record is never changed again.
    private static func isFinal(_ record: ResourceRecord) -> Bool { record.status(as: LabelingJobStatus.self)?.isTerminal == true }

    private static func set(_ record: inout ResourceRecord, status: LabelingJobStatus, counters: JSONValue, modified: Double) {
        record.status = status.rawValue
        record.lastModifiedTime = max(modified, record.creationTime)
        record.document["LabelingJobStatus"] = .string(status.rawValue)
        record.document["LabelCounters"] = counters
        record.document["LastModifiedTime"] = .double(record.lastModifiedTime)
    }

    // MARK: Helpers

    /// A ListLabelingJobs item from a Describe document.
    private static func summary(_ document: JSONValue) -> JSONValue {
        var summary: JSONValue = [:]
        for member in [
            "LabelingJobName", "LabelingJobArn", "CreationTime", "LastModifiedTime", "LabelingJobStatus", "LabelCounters", "FailureReason",
            "LabelingJobOutput", "InputConfig",
        ] {
            summary[member] = document[member]
        }
        let task = document["HumanTaskConfig"]
        summary["WorkteamArn"] = task?["WorkteamArn"]
        summary["PreHumanTaskLambdaArn"] = task?["PreHumanTaskLambdaArn"]
        summary["AnnotationConsolidationLambdaArn"] = task?["AnnotationConsolidationConfig"]?["AnnotationConsolidationLambdaArn"]
        return summary
    }

    private static func render(_ counters: LabelCounters) throws -> JSONValue {
        try JSONValue.parse(JSONEncoder().encode(counters))
    }

    /// The bytes of the object a request member names. - Throws: ValidationException naming the member.
    private func read(_ uri: String, member: String) throws -> Data {
        guard let location = S3URI(uri) else { throw AWSError.validation("\(member) '\(uri)' is not an s3:// URI.") }
        do {
            return try objects.get(location)
        } catch ObjectStoreError.noSuchBucket(let bucket) {
            throw AWSError.validation("\(member) \(uri): the bucket '\(bucket)' does not exist.")
        } catch ObjectStoreError.noSuchKey {
            throw AWSError.validation("\(member) \(uri): no such object; upload it before creating the job.")
        } catch let error as ObjectStoreError {
            throw AWSError.validation("\(member) \(uri): \(error)")
        }
    }

    private func existing(_ input: JSONValue) throws -> ResourceRecord {
        let name = try requiredName(input)
        guard let job = try store.resource(.labelingJob, named: name) else { throw Self.notFound(name) }
        return job
    }

    private func requiredName(_ input: JSONValue) throws -> String {
        guard let name = input["LabelingJobName"]?.stringValue else {
            throw AWSError.missingMember("LabelingJobName")
        }
        return name
    }

    private static func notFound(_ name: String) -> AWSError {
        AWSError.validation("Could not find requested job with name \(name)")
    }

    private static func nameTaken(_ name: String) -> AWSError {
        AWSError.resourceInUse("A labeling job with the name \(name) already exists.")
    }
}
