import ControlPlane
import Foundation
import Logging

/// The FIFO training queue: queued jobs (in SQLite, so they survive restarts) are run in arrival order by a
/// fixed number of dedicated worker threads — never Swift's cooperative pool, so a running job cannot make the
/// API slow. Each worker lowers its own priority before it touches oneDNN (whose OpenMP threads inherit it).
package final class TrainingQueue: TrainingScheduler, @unchecked Sendable {
    /// Runs one job to its end state on the calling worker thread.
    package typealias Runner = @Sendable (_ name: String, _ control: TrainingJobControl) -> Void

    private let store: ControlPlaneStore
    private let concurrency: Int
    private let runner: Runner
    let logger: Logger
    private let condition = NSCondition()
    private var running: [String: TrainingJobControl] = [:]
    private var shuttingDown = false
    private var liveWorkers = 0

    /// - Parameters:
    ///   - concurrency: how many jobs train at once (each uses every core oneDNN is given).
    ///   - runner: what a worker does with a job it has claimed.
    package init(store: ControlPlaneStore, concurrency: Int, logger: Logger, runner: @escaping Runner) {
        self.store = store
        self.concurrency = max(1, concurrency)
        self.runner = runner
        self.logger = logger
    }

    /// Starts the workers (after `recoverInterruptedJobs`).
    package func start() {
        for index in 0..<concurrency {
            condition.lock()
            liveWorkers += 1
            condition.unlock()
            let thread = Thread { [self] in work() }
            thread.name = "apiary-training-\(index)"
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    package func jobQueued() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    package func stop(_ name: String, at time: Double) throws {
        try stop(
            entry: name, running: { try TrainingJobLifecycle.apply(.stopRequested, to: &$0, at: time) },
            queued: { try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &$0, at: time) })
    }

    package func stopTransform(_ name: String, at time: Double) throws {
        try stop(
            entry: QueueEntry.entry(.transformJob, name), running: { try TransformJobLifecycle.stopRequested(&$0, at: time) },
            queued: { TransformJobLifecycle.ended(&$0, status: "Stopped", at: time) })
    }

    /// A running entry's record takes `running` and its worker a stop request; a queued one leaves the queue with `queued`.
    private func stop(entry: String, running: (inout ResourceRecord) throws -> Void, queued: (inout ResourceRecord) throws -> Void) throws {
        condition.lock()
        defer { condition.unlock() }
        if let control = self.running[entry] {
            let job = QueueEntry.job(entry)
            try store.update(job.kind, named: job.name, running)
            control.request(.userStop)
        } else {
            try store.dequeue(entry, queued)
        }
    }

    /// The `QueueEntry` of each job a worker is running now.
    var runningJobs: [String] {
        condition.lock()
        defer { condition.unlock() }
        return running.keys.sorted()
    }

    /// Asks running jobs to checkpoint and stop (they stay queued, and resume on the next start) and waits for
    /// every worker to exit.
    package func shutdown() {
        condition.lock()
        shuttingDown = true
        for control in running.values { control.request(.shutdown) }
        condition.broadcast()
        while liveWorkers > 0 { condition.wait() }
        condition.unlock()
    }

    /// Stops every running job as StopTrainingJob (StopTransformJob) would and waits until none runs (the test hook's reset).
    package func stopAll(at time: Double) throws {
        for entry in runningJobs {
            let job = QueueEntry.job(entry)
            try job.kind == .transformJob ? stopTransform(job.name, at: time) : stop(job.name, at: time)
        }
        condition.lock()
        while !running.isEmpty { condition.wait() }
        condition.unlock()
    }

    private func work() {
        WorkerPriority.lowerForBackgroundWork()
        while let (name, control) = claim() {
            runner(name, control)
            condition.lock()
            running[name] = nil
            condition.broadcast()
            condition.unlock()
        }
        condition.lock()
        liveWorkers -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the oldest queued job nobody runs; nil once shutting down.
    private func claim() -> (String, TrainingJobControl)? {
        condition.lock()
        defer { condition.unlock() }
        while !shuttingDown {
            do {
                if let name = try store.trainingQueue().first(where: { running[$0] == nil }) {
                    let control = TrainingJobControl()
                    running[name] = control
                    return (name, control)
                }
            } catch {
                logger.error("cannot read the training queue", metadata: ["error": "\(error)"])
            }
            condition.wait()
        }
        return nil
    }

    /// After a crash or shutdown: running jobs go back to Starting (resuming from their checkpoint when run),
    /// jobs that were being stopped end Stopped, queued jobs stay queued.
    package func recoverInterruptedJobs(now: Double) throws {
        for name in try store.trainingQueue() {
            guard let job = try store.resource(.trainingJob, named: name) else { continue }
            switch job.status {
            case "Stopping":
                try store.dequeue(name) { try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &$0, at: now) }
            case "InProgress" where TrainingJobLifecycle.runningSecondaryStatuses.contains(job.document["SecondaryStatus"]?.stringValue ?? ""):
                try store.update(.trainingJob, named: name) {
                    try TrainingJobLifecycle.apply(
                        .secondary("Starting", message: "Apiary restarted while this job was running; it resumes from its last checkpoint"),
                        to: &$0, at: now)
                }
                logger.info("training job will resume", metadata: ["job": "\(name)"])
            case "InProgress":
                continue
            default:
                try store.dequeue(name) { _ in }
            }
        }
    }
}
