import AWSProtocol
import ControlPlane

/// A batch transform job's states as SageMaker moves them: `InProgress` → `Completed` | `Failed`, or
/// `Stopping` → `Stopped`; a job still queued stops at once. Terminal states are final.
package enum TransformJobLifecycle {
    /// The Describe document of a job just created.
    package static func created(_ request: JSONValue, arn: String, at time: Double) -> JSONValue {
        var document = request
        document["Tags"] = nil
        document["TransformJobArn"] = .string(arn)
        document["TransformJobStatus"] = .string(TransformJobStatus.inProgress.rawValue)
        document["CreationTime"] = .double(time)
        document["TransformInput"]?["CompressionType"] = request["TransformInput"]?["CompressionType"] ?? "None"
        document["TransformInput"]?["SplitType"] = request["TransformInput"]?["SplitType"] ?? "None"
        return document
    }

    /// A worker picked the job up.
    static func started(_ job: inout ResourceRecord, at time: Double) {
        job.document["TransformStartTime"] = .double(time)
        job.lastModifiedTime = time
    }

    /// StopTransformJob on a running job. - Throws: `ValidationException` unless it is InProgress or Stopping.
    static func stopRequested(_ job: inout ResourceRecord, at time: Double) throws {
        switch job.status(as: TransformJobStatus.self) {
        case .stopping?: return
        case .inProgress?: set(&job, status: .stopping, at: time)
        default: throw AWSError.validation("The transform job \(job.name) is \(job.status ?? "unknown") and cannot be stopped.")
        }
    }

    /// The job's end: `Completed`, `Failed` with its reason, or `Stopped` (a job being stopped always ends `Stopped`).
    static func ended(_ job: inout ResourceRecord, status: TransformJobStatus, failureReason: String? = nil, at time: Double) {
        guard job.status(as: TransformJobStatus.self)?.isTerminal != true else { return }
        let final: TransformJobStatus = job.status(as: TransformJobStatus.self) == .stopping ? .stopped : status
        if final == .failed, let failureReason { job.document["FailureReason"] = .string(String(failureReason.prefix(1024))) }
        if job.document["TransformStartTime"] == nil { job.document["TransformStartTime"] = .double(time) }
        job.document["TransformEndTime"] = .double(time)
        set(&job, status: final, at: time)
    }

    private static func set(_ job: inout ResourceRecord, status: TransformJobStatus, at time: Double) {
        job.status = status.rawValue
        job.lastModifiedTime = time
        job.document["TransformJobStatus"] = .string(status.rawValue)
    }
}
