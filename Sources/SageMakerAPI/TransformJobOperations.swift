import AWSProtocol
import ControlPlane
import TrainingExecution

/// CreateTransformJob, DescribeTransformJob, ListTransformJobs, StopTransformJob: batch transform of the built-in
/// algorithm's models over S3 images, run by the training workers (`TransformWorker`) in queue order.
struct TransformJobOperations {
    let store: ControlPlaneStore
    let scheduler: any TrainingScheduler

    func create(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        // TransformJobName and ModelName are required by botocore's model, which `SageMakerService` checks first.
        let name = input["TransformJobName"]?.stringValue ?? ""
        let modelName = input["ModelName"]?.stringValue ?? ""
        guard try store.resource(.model, named: modelName) != nil else {
            throw AWSError.validation("Could not find model \"\(context.arn(.model, modelName))\".")
        }
        let arn = context.arn(.transformJob, name)
        let job = ResourceRecord(
            kind: .transformJob,
            name: name,
            arn: arn,
            creationTime: context.now,
            lastModifiedTime: context.now,
            status: TransformJobStatus.inProgress.rawValue,
            document: TransformJobLifecycle.created(input, arn: arn, at: context.now)
        )
        guard try scheduler.enqueue(job, tags: TagOperations.tags(in: input)) else {
            throw AWSError.resourceInUse("Job name must be unique within an AWS account and region, and a job with this name already exists (\(arn))")
        }
        return ["TransformJobArn": .string(arn)]
    }

    func describe(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        try existing(input).document
    }

    func list(_ input: JSONValue) throws -> JSONValue {
        let query = try ListQuery(input, defaultAscending: false, sortKeys: [.name, .creationTime, .status])
        let (items, next) = try query.page(try store.resources(.transformJob))
        var output: JSONValue = [
            "TransformJobSummaries": .array(
                items.map { job in
                    var summary: JSONValue = [:]
                    for member in ["TransformJobName", "TransformJobArn", "CreationTime", "TransformEndTime", "TransformJobStatus", "FailureReason"] {
                        summary[member] = job.document[member]
                    }
                    summary["LastModifiedTime"] = .double(job.lastModifiedTime)
                    return summary
                }
            )
        ]
        if let next { output["NextToken"] = .string(next) }
        return output
    }

    func stop(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let job = try existing(input)
        guard job.status(as: TransformJobStatus.self)?.isTerminal != true else { return [:] }
        try scheduler.stopTransform(job.name, at: context.now)
        return [:]
    }

    private func existing(_ input: JSONValue) throws -> ResourceRecord {
        let name = input["TransformJobName"]?.stringValue ?? ""
        guard let job = try store.resource(.transformJob, named: name) else {
            throw AWSError.validation("Could not find requested job with name \(name)")
        }
        return job
    }
}
