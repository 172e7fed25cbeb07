import AWSProtocol
import Testing

@testable import JobService
@testable import ControlPlane
@testable import TrainingExecution

/// Every transition of the training-job state machine (spec §8.1), legal and illegal.
@Suite struct TrainingJobLifecycleTests {
    typealias Event = TrainingJobLifecycle.Event

    func newJob(at time: Double = 100) -> ResourceRecord {
        let request: JSONValue = ["TrainingJobName": "j", "StoppingCondition": ["MaxRuntimeInSeconds": 60], "Tags": [["Key": "a", "Value": "b"]]]
        return ResourceRecord(
            kind: .trainingJob, name: "j", arn: "arn", creationTime: time, lastModifiedTime: time, status: "InProgress",
            document: TrainingJobLifecycle.created(request, arn: "arn", modelArtifacts: "s3://b/o/j/output/model.tar.gz", at: time))
    }

    func statuses(_ job: ResourceRecord) -> [String] {
        (job.document["SecondaryStatusTransitions"]?.arrayValue ?? []).compactMap { $0["Status"]?.stringValue }
    }

    @Test func createdIsInProgressStartingWithRequiredMembers() {
        let job = newJob()
        #expect(job.document["TrainingJobStatus"] == "InProgress")
        #expect(job.document["SecondaryStatus"] == "Starting")
        #expect(job.document["ModelArtifacts"]?["S3ModelArtifacts"] == "s3://b/o/j/output/model.tar.gz")
        #expect(job.document["Tags"] == nil)
        #expect(job.document["EnableNetworkIsolation"] == false)
        #expect(statuses(job) == ["Starting"])
    }

    @Test func successPathRecordsTimesTransitionsAndMetrics() throws {
        var job = newJob()
        try TrainingJobLifecycle.apply(.secondary(.downloading, message: "Downloading input data"), to: &job, at: 101)
        try TrainingJobLifecycle.apply(.secondary(.training, message: "Training in progress."), to: &job, at: 102)
        try TrainingJobLifecycle.apply(.secondary(.uploading, message: "Uploading generated training model"), to: &job, at: 110)
        try TrainingJobLifecycle.apply(.completed(metrics: [("validation:mAP", 0.5), ("train:loss", .nan)]), to: &job, at: 111.4)
        #expect(job.status == "Completed")
        #expect(job.document["SecondaryStatus"] == "Completed")
        #expect(statuses(job) == ["Starting", "Downloading", "Training", "Uploading", "Completed"])
        let transitions = job.document["SecondaryStatusTransitions"]!.arrayValue!
        #expect(transitions[0]["EndTime"] == .double(101))
        #expect(transitions.allSatisfy { $0["EndTime"] != nil })
        #expect(job.document["TrainingStartTime"] == .double(101))
        #expect(job.document["TrainingEndTime"] == .double(111.4))
        #expect(job.document["TrainingTimeInSeconds"] == .int(10))
        #expect(job.document["BillableTimeInSeconds"] == .int(10))
        let metrics = job.document["FinalMetricDataList"]!.arrayValue!
        #expect(metrics.count == 1)  // non-finite values never reach the wire
        #expect(metrics[0]["MetricName"] == "validation:mAP")
        #expect(job.lastModifiedTime == 111.4)
    }

    @Test func failureKeepsTheReasonWithinTheModelsLimit() throws {
        var job = newJob()
        try TrainingJobLifecycle.apply(.failed(reason: "ClientError: " + String(repeating: "x", count: 2000)), to: &job, at: 105)
        #expect(job.status == "Failed")
        #expect(job.document["SecondaryStatus"] == "Failed")
        #expect(job.document["FailureReason"]?.stringValue?.count == 1024)
        #expect(job.document["TrainingTimeInSeconds"] == nil)  // it never started training
    }

    @Test func userStopOfARunningJob() throws {
        var job = newJob()
        try TrainingJobLifecycle.apply(.secondary(.training, message: "m"), to: &job, at: 101)
        try TrainingJobLifecycle.apply(.stopRequested, to: &job, at: 102)
        #expect(job.status == "Stopping")
        #expect(job.document["SecondaryStatus"] == "Stopping")
        try TrainingJobLifecycle.apply(.stopRequested, to: &job, at: 102.5)  // a second Stop is a no-op
        try TrainingJobLifecycle.apply(.secondary(.uploading, message: "m"), to: &job, at: 103)  // ignored while stopping
        #expect(job.document["SecondaryStatus"] == "Stopping")
        try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &job, at: 104)
        #expect(job.status == "Stopped")
        #expect(statuses(job) == ["Starting", "Training", "Stopping", "Stopped"])
    }

    @Test func aJobThatFinishesWhileStoppingEndsStopped() throws {
        var job = newJob()
        try TrainingJobLifecycle.apply(.secondary(.training, message: "m"), to: &job, at: 101)
        try TrainingJobLifecycle.apply(.stopRequested, to: &job, at: 102)
        try TrainingJobLifecycle.apply(.completed(metrics: []), to: &job, at: 103)
        #expect(job.status == "Stopped")
    }

    @Test func aQueuedJobStopsAtOnce() throws {
        var job = newJob()
        try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &job, at: 101)
        #expect(job.status == "Stopped")
        #expect(statuses(job) == ["Starting", "Stopped"])
    }

    @Test func maxRuntimeExceeded() throws {
        var job = newJob()
        try TrainingJobLifecycle.apply(.secondary(.training, message: "m"), to: &job, at: 101)
        try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: true), to: &job, at: 170)
        #expect(job.status == "Stopped")
        #expect(job.document["SecondaryStatus"] == "MaxRuntimeExceeded")
        #expect(job.document["BillableTimeInSeconds"] == .int(69))
    }

    @Test func failureWhileStopping() throws {
        var job = newJob()
        try TrainingJobLifecycle.apply(.secondary(.training, message: "m"), to: &job, at: 101)
        try TrainingJobLifecycle.apply(.stopRequested, to: &job, at: 102)
        try TrainingJobLifecycle.apply(.failed(reason: "AlgorithmError: x"), to: &job, at: 103)
        #expect(job.status == "Failed")
    }

    @Test func restartGoesBackToStartingAndResumes() throws {
        var job = newJob()
        try TrainingJobLifecycle.apply(.secondary(.training, message: "m"), to: &job, at: 101)
        try TrainingJobLifecycle.apply(.secondary(.starting, message: "Apiary restarted"), to: &job, at: 150)
        try TrainingJobLifecycle.apply(.secondary(.training, message: "Resuming from epoch 1"), to: &job, at: 151)
        #expect(job.document["TrainingStartTime"] == .double(101))  // the first start stays
        #expect(statuses(job) == ["Starting", "Training", "Starting", "Training"])
    }

    @Test(arguments: ["Completed", "Failed", "Stopped"])
    func terminalStatesAreFinal(status: String) throws {
        var job = newJob()
        switch status {
        case "Completed": try TrainingJobLifecycle.apply(.completed(metrics: []), to: &job, at: 101)
        case "Failed": try TrainingJobLifecycle.apply(.failed(reason: "r"), to: &job, at: 101)
        default: try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &job, at: 101)
        }
        let events: [Event] = [
            .secondary(.training, message: "m"), .completed(metrics: []), .failed(reason: "r"), .stopRequested,
            .stopped(maxRuntimeExceeded: false), .stopped(maxRuntimeExceeded: true),
        ]
        for event in events {
            var copy = job
            #expect(throws: TrainingJobLifecycle.IllegalTransition.self) { try TrainingJobLifecycle.apply(event, to: &copy, at: 102) }
            #expect(copy == job)
        }
    }

    @Test func aRunningJobIsNotStoppedWithoutAStopRequest() throws {
        var job = newJob()
        try TrainingJobLifecycle.apply(.secondary(.training, message: "m"), to: &job, at: 101)
        #expect(throws: TrainingJobLifecycle.IllegalTransition.self) {
            try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &job, at: 102)
        }
    }
}
