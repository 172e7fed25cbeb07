import AWSProtocol
import Foundation
import Logging
import Testing

@testable import JobService
@testable import ControlPlane
@testable import TrainingExecution

/// Transform jobs share the training workers' queue as `transform-job/<name>` entries: stopping one (StopTransformJob,
/// the test hook's reset) changes the transform job, never a training job of the same name.
@Suite struct TransformQueueTests {
    @Test func stoppingARunningTransformJobLeavesATrainingJobOfTheSameNameAlone() throws {
        let store = try ControlPlaneStore.inMemory()
        let started = DispatchSemaphore(value: 0)
        let queue = TrainingQueue(jobs: SQLiteJobQueue(store: store), concurrency: 1, clock: { 1 }, logger: Logger(label: "test")) { _, control in
            started.signal()
            _ = control.waitForRequest()
            try? control.complete { TransformJobLifecycle.ended(&$0, status: .completed, at: 3) }
        }
        let transform = ResourceRecord(
            kind: .transformJob,
            name: "bees",
            arn: "arn:aws:sagemaker:us-east-1:123456789012:transform-job/bees",
            creationTime: 1,
            lastModifiedTime: 1,
            status: "InProgress",
            document: TransformJobLifecycle.created([:], arn: "t", at: 1)
        )
        var training = transform
        training.kind = .trainingJob
        training.arn = "arn:aws:sagemaker:us-east-1:123456789012:training-job/bees"
        #expect(try store.insert(training))
        #expect(try queue.enqueue(transform, tags: []))
        #expect(try store.trainingQueue() == ["transform-job/bees"])
        try queue.recoverInterruptedJobs()
        queue.start()
        defer { queue.shutdown() }
        started.wait()
        try queue.stopAll(at: 2)
        let stopped = try #require(try store.resource(.transformJob, named: "bees"))
        #expect(stopped.status == "Stopped" && stopped.document["TransformJobStatus"] == "Stopped")
        #expect(try store.resource(.trainingJob, named: "bees")?.status == "InProgress")
        #expect(try store.trainingQueue().isEmpty)
    }
}
