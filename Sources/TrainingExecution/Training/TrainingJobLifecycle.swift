import AWSProtocol
import ControlPlane

/// The training-job state machine of SageMaker (spec §8.1), applied to a stored job: status, secondary status,
/// the SecondaryStatusTransitions history, times, metrics and failure reason move together, and only along the
/// transitions the real service makes. Terminal states are final.
package enum TrainingJobLifecycle {
    /// Something that happens to a job.
    enum Event {
        /// A new secondary status while running (`Downloading`, `Training`, `Uploading`, or `Starting` again after
        /// a restart), with SageMaker's message.
        case secondary(String, message: String)
        /// The algorithm finished; its final metrics.
        case completed(metrics: [(name: String, value: Double)])
        /// The job failed (`ClientError: …` / `AlgorithmError: …`).
        case failed(reason: String)
        /// StopTrainingJob on a running job.
        case stopRequested
        /// The worker has exited after a stop (or never started); `maxRuntimeExceeded` when the runtime limit did it.
        case stopped(maxRuntimeExceeded: Bool)
    }

    /// An event the job's current state does not allow.
    struct IllegalTransition: Error, CustomStringConvertible {
        var status: String
        var event: Event
        var description: String { "training job in status \(status) cannot take \(event)" }
    }

    static let terminalStatuses: Set<String> = ["Completed", "Failed", "Stopped"]
    static let runningSecondaryStatuses: Set<String> = ["Downloading", "Training", "Uploading"]

    /// The Describe document of a job just created: InProgress / Starting.
    package static func created(_ request: JSONValue, arn: String, modelArtifacts: String, at time: Double) -> JSONValue {
        var document = request
        document["Tags"] = nil
        document["TrainingJobArn"] = .string(arn)
        document["TrainingJobStatus"] = "InProgress"
        document["SecondaryStatus"] = "Starting"
        document["ModelArtifacts"] = ["S3ModelArtifacts": .string(modelArtifacts)]
        document["CreationTime"] = .double(time)
        document["LastModifiedTime"] = .double(time)
        document["SecondaryStatusTransitions"] = [
            ["Status": "Starting", "StartTime": .double(time), "StatusMessage": "Launching requested ML instances"]
        ]
        for flag in ["EnableNetworkIsolation", "EnableInterContainerTrafficEncryption", "EnableManagedSpotTraining"] where document[flag] == nil {
            document[flag] = false
        }
        return document
    }

    /// Applies `event` at `time`. - Throws: `IllegalTransition` when the current state does not allow it.
    static func apply(_ event: Event, to job: inout ResourceRecord, at time: Double) throws {
        let status = job.status ?? "InProgress"
        let secondary = job.document["SecondaryStatus"]?.stringValue ?? "Starting"
        switch (status, event) {
        case ("InProgress", .secondary(let next, let message)):
            if runningSecondaryStatuses.contains(next), job.document["TrainingStartTime"] == nil {
                job.document["TrainingStartTime"] = .double(time)
            }
            transition(&job, status: "InProgress", secondary: next, message: message, at: time)
        case ("Stopping", .secondary):
            return  // the worker is winding down; the job shows Stopping until it has exited
        case ("InProgress", .completed(let metrics)):
            job.document["FinalMetricDataList"] = .array(
                metrics.filter { $0.value.isFinite }.prefix(40).map {
                    ["MetricName": .string($0.name), "Value": .double($0.value), "Timestamp": .double(time)]
                })
            transition(&job, status: "Completed", secondary: "Completed", message: "Training job completed", at: time)
        case ("Stopping", .completed):
            transition(&job, status: "Stopped", secondary: "Stopped", message: "Training job stopped", at: time)
        case ("InProgress", .failed(let reason)), ("Stopping", .failed(let reason)):
            job.document["FailureReason"] = .string(String(reason.prefix(1024)))
            transition(&job, status: "Failed", secondary: "Failed", message: "Training job failed", at: time)
        case ("InProgress", .stopRequested):
            transition(&job, status: "Stopping", secondary: "Stopping", message: "Stopping the training job", at: time)
        case ("Stopping", .stopRequested):
            return
        case ("Stopping", .stopped), ("InProgress", .stopped(maxRuntimeExceeded: false)) where secondary == "Starting" || status == "Stopping":
            transition(&job, status: "Stopped", secondary: "Stopped", message: "Training job stopped", at: time)
        case ("InProgress", .stopped(maxRuntimeExceeded: true)):
            transition(
                &job, status: "Stopped", secondary: "MaxRuntimeExceeded",
                message: "Training job stopped: it ran longer than MaxRuntimeInSeconds", at: time)
        default:
            throw IllegalTransition(status: status, event: event)
        }
    }

    private static func transition(_ job: inout ResourceRecord, status: String, secondary: String, message: String, at time: Double) {
        var transitions = job.document["SecondaryStatusTransitions"]?.arrayValue ?? []
        if var last = transitions.popLast() {
            last["EndTime"] = .double(time)
            transitions.append(last)
        }
        var entry: JSONValue = ["Status": .string(secondary), "StartTime": .double(time), "StatusMessage": .string(message)]
        if terminalStatuses.contains(status) { entry["EndTime"] = .double(time) }
        transitions.append(entry)
        job.document["SecondaryStatusTransitions"] = .array(transitions)
        job.document["TrainingJobStatus"] = .string(status)
        job.document["SecondaryStatus"] = .string(secondary)
        job.document["LastModifiedTime"] = .double(time)
        job.status = status
        job.lastModifiedTime = time
        guard terminalStatuses.contains(status) else { return }
        job.document["TrainingEndTime"] = .double(time)
        if let start = job.document["TrainingStartTime"]?.doubleValue {
            let seconds = max(1, Int((time - start).rounded()))
            job.document["TrainingTimeInSeconds"] = .int(seconds)
            job.document["BillableTimeInSeconds"] = .int(seconds)
        }
    }
}
