import AWSProtocol
import ControlPlane
import Foundation
import Logging
import ModelCore
import ObjectStore

/// What a worker thread does with one claimed job: runs the algorithm through `TrainingJobRunner`, turning
/// its progress into the job's state (secondary statuses, CloudWatch log events, metrics) and its end into the
/// job's end state through the queue (`TrainingJobControl`), each change one transaction.
package struct TrainingWorker: Sendable {
    static let logGroup = "/aws/sagemaker/TrainingJobs"

    let store: ControlPlaneStore
    /// The object store on this host, or a daemon's through its S3 API (a worker node).
    let objects: any ObjectStorage
    /// `$APIARY_HOME/jobs`: one work directory (checkpoints, a remote store's input cache) per job.
    let jobsDirectory: URL
    /// The `ctl` that runs the ranks of multi-instance jobs (`MultiInstanceRun`): the daemon's own executable.
    let rankExecutable: URL
    /// On a queue that schedules gangs (a shared database), the name this node is reachable at: a multi-instance job
    /// this worker claims waits for its gang (`GangLeader`) and runs its ranks on the gang's hosts. Nil: on this host.
    let advertisedHost: String?
    let logger: Logger

    package init(
        store: ControlPlaneStore, objects: any ObjectStorage, jobsDirectory: URL, rankExecutable: URL, advertisedHost: String? = nil, logger: Logger
    ) {
        self.store = store
        self.objects = objects
        self.jobsDirectory = jobsDirectory
        self.rankExecutable = rankExecutable
        self.advertisedHost = advertisedHost
        self.logger = logger
    }

    package func run(_ name: String, control: TrainingJobControl) {
        do {
            try runJob(name, control: control)
        } catch {
            logger.error("training job bookkeeping failed", metadata: ["job": "\(name)", "error": "\(error)"])
        }
    }

    private func runJob(_ name: String, control: TrainingJobControl) throws {
        guard let job = try store.resource(.trainingJob, named: name) else { return try control.complete { _ in } }
        switch job.status(as: TrainingJobStatus.self) {
        case .inProgress?: break
        case .stopping?:  // stopped by a daemon that did not hold it, or in the moment before this worker registered
            let now = AWSTimestamp.seconds(Date())
            return try control.complete { try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &$0, at: now) }
        default: return try control.complete { _ in }
        }
        // One log stream per instance, as SageMaker names them: `<job>/algo-1-<creation time>`, `<job>/algo-2-…`.
        let log = { (rank: Int, lines: [String]) in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let stream = "\(name)/\(DataParallelTraining.host(rank: rank))-\(Int(job.creationTime))"
            try? store.appendLogEvents(group: Self.logGroup, stream: stream, lines.map { (now, $0) }, now: now)
        }
        let instances = job.document["ResourceConfig"]?["InstanceCount"]?.intValue ?? 1
        guard let hosts = try gangHosts(name, instances: instances, control: control, log: log) else { return }
        logger.info("training job started", metadata: ["job": "\(name)"])
        let maxRuntime = job.document["StoppingCondition"]?["MaxRuntimeInSeconds"]?.doubleValue
        let started = Date()
        let outcome: TrainingJobOutcome
        do {
            let stopRequested = { () -> TrainingStopReason? in
                switch control.requested {
                case .userStop?: return .userStop
                case .shutdown?: return .shutdown
                case nil:
                    guard let maxRuntime, Date().timeIntervalSince(started) > maxRuntime else { return nil }
                    return .maxRuntimeExceeded
                }
            }
            let progress = { (event: TrainingProgress) in
                let now = AWSTimestamp.seconds(Date())
                switch event {
                case .secondaryStatus(let status, let message):
                    _ = try? store.update(.trainingJob, named: name) {
                        try TrainingJobLifecycle.apply(.secondary(SecondaryStatus(status), message: message), to: &$0, at: now)
                    }
                case .resuming:
                    _ = try? store.update(.trainingJob, named: name) {
                        try TrainingJobLifecycle.apply(.secondary(.training, message: event.message), to: &$0, at: now)
                    }
                    log(0, [AlgorithmLog.line(event.message)])
                case .log(let line):
                    log(0, [AlgorithmLog.line(line)])
                case .epochMetrics, .checkpointSaved:
                    break
                }
            }
            let workDirectory = jobsDirectory.appendingPathComponent(name, isDirectory: true)
            let spec = try TrainingJobSpec(request: job.document)
            // A job another node ran until it died: continue from the checkpoint it stored.
            let checkpoints = CheckpointObjects(storage: objects, prefix: spec.checkpointURI)
            if let epochs = try checkpoints.restore(into: TrainingWorkDirectory(url: workDirectory), job: name) {
                logger.info("fetched the checkpoint of epoch \(epochs)", metadata: ["job": "\(name)", "from": "\(spec.checkpointURI)"])
            }
            if instances > 1 {
                let run = MultiInstanceRun(
                    request: job.document, instanceCount: instances, rankExecutable: rankExecutable, objectArguments: try rankObjectArguments(),
                    workDirectory: workDirectory, hosts: hosts)
                outcome = run.run(stopRequested: stopRequested, progress: progress) { rank, line in log(rank, [AlgorithmLog.line(line)]) }
            } else {
                let runner = TrainingJobRunner(spec: spec, store: objects, workDirectory: workDirectory)
                outcome = runner.run(stopRequested: stopRequested, progress: progress)
            }
        } catch {
            outcome = TrainingJobOutcome(ending: .failed(failureReason: TrainingFailure.reason(for: error)), finalMetrics: [], modelArtifacts: nil, completedEpochs: 0)
        }
        let now = AWSTimestamp.seconds(Date())
        switch outcome.ending {
        case .completed:
            let metrics = outcome.finalMetrics.map { (name: $0.name, value: $0.value) }
            try control.complete { try TrainingJobLifecycle.apply(.completed(metrics: metrics), to: &$0, at: now) }
        case .failed(let reason):
            log(0, [AlgorithmLog.line(reason)])
            try control.fail { try TrainingJobLifecycle.apply(.failed(reason: reason), to: &$0, at: now) }
        case .stopped(.userStop):
            try control.complete { try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &$0, at: now) }
        case .stopped(.maxRuntimeExceeded):
            try control.complete { try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: true), to: &$0, at: now) }
        case .stopped(.shutdown):
            logger.info("training job paused for shutdown; it resumes on the next start", metadata: ["job": "\(name)"])
            return
        }
        // Ended for good: the checkpoints (and a remote store's downloaded input) are no longer needed.
        try? FileManager.default.removeItem(at: jobsDirectory.appendingPathComponent(name, isDirectory: true))
        logger.info("training job ended", metadata: ["job": "\(name)", "status": "\(outcome.ending)"])
    }

    /// How the ranks of a multi-instance job reach this worker's object store (`ctl training-rank`'s options); they
    /// inherit its environment, and with it the credentials of a remote one.
    private func rankObjectArguments() throws -> [String] {
        switch objects {
        case let local as ObjectStore: return ["--object-store", local.root.path]
        case let remote as RemoteObjectStore: return ["--endpoint-url", remote.endpoint.url.absoluteString]
        default: throw AlgorithmError("the ranks of a multi-instance job cannot reach this worker's object store (\(type(of: objects)))")
        }
    }
}
