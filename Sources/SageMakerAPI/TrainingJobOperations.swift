import AWSProtocol
import ControlPlane
import ObjectStore
import TrainingExecution

/// CreateTrainingJob, DescribeTrainingJob, ListTrainingJobs, StopTrainingJob (spec §7.1–7.4).
struct TrainingJobOperations {
    let store: ControlPlaneStore
    let scheduler: any TrainingScheduler
    /// The most instances one job may ask for (`ctl serve --instance-slots`): the ranks (`algo-1` … `algo-N`) the
    /// daemon runs on this host under `mpirun`, or, on a shared database, the largest gang of workers (on any nodes) it
    /// accepts a job for — a job no gang can ever fill would wait for ever, so the operator bounds it.
    let instanceSlots: Int

    func create(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        for member in ["AlgorithmSpecification", "ResourceConfig", "StoppingCondition"] where input[member] == nil {
            throw AWSError.missingMember(member)
        }
        if let count = input["ResourceConfig"]?["InstanceCount"]?.intValue, count > instanceSlots {
            throw AWSError.resourceLimitExceeded(
                "InstanceCount \(count) is above this Apiary's \(instanceSlots) instance slots for distributed training "
                    + "(ctl serve --instance-slots N, or APIARY_INSTANCE_SLOTS).")
        }
        var channels = Set<String>()
        for channel in input["InputDataConfig"]?.arrayValue ?? [] {
            let name = channel["ChannelName"]?.stringValue ?? ""
            guard channels.insert(name).inserted else {
                throw AWSError.validation("Channel names must be unique within InputDataConfig: '\(name)' appears more than once.")
            }
        }
        guard let name = input["TrainingJobName"]?.stringValue, let outputPath = input["OutputDataConfig"]?["S3OutputPath"]?.stringValue
        else {
            throw AWSError.missingMember("TrainingJobName")
        }
        let arn = context.arn(.trainingJob, name)
        let compression = input["OutputDataConfig"]?["CompressionType"]?.stringValue.flatMap(TrainingJobSpec.OutputCompression.init) ?? .gzip
        let artifacts = TrainingJobSpec.modelArtifactsURI(outputPath: outputPath, jobName: name, compression: compression)
        let job = ResourceRecord(
            kind: .trainingJob, name: name, arn: arn, creationTime: context.now, lastModifiedTime: context.now,
            status: TrainingJobStatus.inProgress.rawValue,
            document: TrainingJobLifecycle.created(input, arn: arn, modelArtifacts: artifacts, at: context.now))
        guard try scheduler.enqueue(job, tags: TagOperations.tags(in: input)) else {
            throw AWSError.resourceInUse(
                "Training job names must be unique within an AWS account and region, and a training job with this name already exists (\(arn))")
        }
        return ["TrainingJobArn": .string(arn)]
    }

    func describe(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        TrainingJobDescription.completed(try existing(input).document)
    }

    func list(_ input: JSONValue) throws -> JSONValue {
        var query = try ListQuery(input, defaultAscending: true, sortKeys: [.name, .creationTime, .status])
        query.matchesNothing = input["WarmPoolStatusEquals"] != nil || input["TrainingPlanArnEquals"] != nil
        let (items, next) = try query.page(try store.resources(.trainingJob))
        var output: JSONValue = [
            "TrainingJobSummaries": .array(
                items.map { job in
                    var summary: JSONValue = [:]
                    for member in [
                        "TrainingJobName", "TrainingJobArn", "CreationTime", "TrainingEndTime", "LastModifiedTime", "TrainingJobStatus",
                        "SecondaryStatus",
                    ] {
                        summary[member] = job.document[member]
                    }
                    return summary
                })
        ]
        if let next { output["NextToken"] = .string(next) }
        return output
    }

    func stop(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let job = try existing(input)
        switch job.status(as: TrainingJobStatus.self) {
        case .stopping?:
            return [:]
        case .inProgress?:
            try scheduler.stop(job.name, at: context.now)
            return [:]
        default:
            throw AWSError.validation("The request was rejected because the training job is in status \(job.status ?? "unknown").")
        }
    }

    private func existing(_ input: JSONValue) throws -> ResourceRecord {
        guard let name = input["TrainingJobName"]?.stringValue else { throw AWSError.missingMember("TrainingJobName") }
        guard let job = try store.resource(.trainingJob, named: name) else {
            throw AWSError.validation("Requested resource not found.")
        }
        return job
    }
}
