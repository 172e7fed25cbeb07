@testable import SageMakerAPI
@testable import TrainingExecution
@testable import EndpointRuntime
@testable import ControlPlane
import AWSProtocol
import Foundation
import Testing

@testable import JobService

/// A clock the test moves by hand: leases expire and heartbeats fall due without any waiting.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double

    init(_ seconds: Double) { self.seconds = seconds }

    var now: Double {
        get { lock.withLock { seconds } }
        set { lock.withLock { seconds = newValue } }
    }
}

/// A queued training job's record as CreateTrainingJob writes it; `running` puts it in secondary status Training.
func queuedTrainingJob(_ name: String, running: Bool = false, at time: Double = 1) throws -> ResourceRecord {
    var job = ResourceRecord(
        kind: .trainingJob,
        name: name,
        arn: "arn:aws:sagemaker:us-east-1:123456789012:training-job/\(name)",
        creationTime: time,
        lastModifiedTime: time,
        status: "InProgress",
        document: TrainingJobLifecycle.created(["TrainingJobName": .string(name)], arn: "arn", modelArtifacts: "s3://b/o/model.tar.gz", at: time)
    )
    if running { try TrainingJobLifecycle.apply(.secondary(.training, message: "m"), to: &job, at: time) }
    return job
}

/// Waits for `semaphore`, failing the test instead of hanging when the signal never comes.
func waitFor(_ semaphore: DispatchSemaphore, _ what: Comment, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(semaphore.wait(timeout: .now() + 120) == .success, what, sourceLocation: sourceLocation)
}
