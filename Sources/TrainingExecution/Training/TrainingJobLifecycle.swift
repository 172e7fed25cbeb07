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
        case secondary(SecondaryStatus, message: String)
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
        var status: TrainingJobStatus
        var event: Event
        var description: String { "training job in status \(status.rawValue) cannot take \(event)" }
    }

    /// The Describe document of a job just created: InProgress / Starting.
    package static func created(_ request: JSONValue, arn: String, modelArtifacts: String, at time: Double) -> JSONValue {
        var document = request
        document["Tags"] = nil
        document["TrainingJobArn"] = .string(arn)
        document["TrainingJobStatus"] = .string(TrainingJobStatus.inProgress.rawValue)
        document["SecondaryStatus"] = .string(SecondaryStatus.starting.rawValue)
        document["ModelArtifacts"] = ["S3ModelArtifacts": .string(modelArtifacts)]
        document["CreationTime"] = .double(time)
        document["LastModifiedTime"] = .double(time)
        document["SecondaryStatusTransitions"] = [
            ["Status": .string(SecondaryStatus.starting.rawValue), "StartTime": .double(time), "StatusMessage": "Launching requested ML instances"]
        ]
        for flag in ["EnableNetworkIsolation", "EnableInterContainerTrafficEncryption", "EnableManagedSpotTraining"] where document[flag] == nil {
            document[flag] = false
        }
        return document
    }

    /// Applies `event` at `time`. - Throws: `IllegalTransition` when the current state does not allow it.
    static func apply(_ event: Event, to job: inout ResourceRecord, at time: Double) throws {
        let status = job.status(as: TrainingJobStatus.self) ?? .inProgress
        let secondary = job.document["SecondaryStatus"]?.stringValue.flatMap(SecondaryStatus.init(rawValue:)) ?? .starting
        switch (status, event) {
        case (.inProgress, .secondary(let next, let message)):
            if next.isRunning, job.document["TrainingStartTime"] == nil {
                job.document["TrainingStartTime"] = .double(time)
            }
            transition(&job, status: .inProgress, secondary: next, message: message, at: time)
        case (.stopping, .secondary):
            return  // the worker is winding down; the job shows Stopping until it has exited
        case (.inProgress, .completed(let metrics)):
            job.document["FinalMetricDataList"] = .array(
                metrics.filter { $0.value.isFinite }.prefix(40).map {
                    ["MetricName": .string($0.name), "Value": .double($0.value), "Timestamp": .double(time)]
                })
            transition(&job, status: .completed, secondary: .completed, message: "Training job completed", at: time)
        case (.stopping, .completed):
            transition(&job, status: .stopped, secondary: .stopped, message: "Training job stopped", at: time)
        case (.inProgress, .failed(let reason)), (.stopping, .failed(let reason)):
            job.document["FailureReason"] = .string(String(reason.prefix(1024)))
            transition(&job, status: .failed, secondary: .failed, message: "Training job failed", at: time)
        case (.inProgress, .stopRequested):
            transition(&job, status: .stopping, secondary: .stopping, message: "Stopping the training job", at: time)
        case (.stopping, .stopRequested):
            return
        case (.stopping, .stopped):
            fallthrough
        case (.inProgress, .stopped(maxRuntimeExceeded: false)) where secondary == .starting:
            transition(&job, status: .stopped, secondary: .stopped, message: "Training job stopped", at: time)
        case (.inProgress, .stopped(maxRuntimeExceeded: true)):
            transition(
                &job, status: .stopped, secondary: .maxRuntimeExceeded,
                message: "Training job stopped: it ran longer than MaxRuntimeInSeconds", at: time)
        default:
            throw IllegalTransition(status: status, event: event)
        }
    }

    private static func transition(
        _ job: inout ResourceRecord, status: TrainingJobStatus, secondary: SecondaryStatus, message: String, at time: Double
    ) {
        var transitions = job.document["SecondaryStatusTransitions"]?.arrayValue ?? []
        if var last = transitions.popLast() {
            last["EndTime"] = .double(time)
            transitions.append(last)
        }
        var entry: JSONValue = ["Status": .string(secondary.rawValue), "StartTime": .double(time), "StatusMessage": .string(message)]
        if status.isTerminal { entry["EndTime"] = .double(time) }
        transitions.append(entry)
        job.document["SecondaryStatusTransitions"] = .array(transitions)
        job.document["TrainingJobStatus"] = .string(status.rawValue)
        job.document["SecondaryStatus"] = .string(secondary.rawValue)
        job.document["LastModifiedTime"] = .double(time)
        job.status = status.rawValue
        job.lastModifiedTime = time
        guard status.isTerminal else { return }
        job.document["TrainingEndTime"] = .double(time)
        if let start = job.document["TrainingStartTime"]?.doubleValue {
            let seconds = max(1, Int((time - start).rounded()))
            job.document["TrainingTimeInSeconds"] = .int(seconds)
            job.document["BillableTimeInSeconds"] = .int(seconds)
        }
    }
}
