import ControlPlane
import Foundation
import Logging

/// The training workers: a fixed number of dedicated threads — never Swift's cooperative pool, so a running job
/// cannot make the API slow — each claiming the oldest queued job from a `TrainingJobQueue` (training jobs and
/// batch transform jobs, in arrival order; the daemon's SQLite driver keeps them across restarts) and running it.
/// Each worker lowers its own priority before it touches oneDNN (whose OpenMP threads inherit it). The lock here
/// guards only which controls are running; the queue's database work happens outside it. On a queue that schedules
/// gangs (`GangScheduling`, a shared database), an idle worker first joins the oldest gang of a multi-instance job
/// still short of members and holds its slot — taking no job of its own — until that job's leader lets the gang go.
package final class TrainingQueue: TrainingScheduler, @unchecked Sendable {
    /// Runs one job to its end on the calling worker thread, recording the end through `control`; a run that
    /// returns without doing so (a shutdown) leaves the job queued.
    package typealias Runner = @Sendable (_ job: QueuedJob, _ control: TrainingJobControl) -> Void

    private let jobs: any TrainingJobQueue
    private let concurrency: Int
    private let daemonID: String
    private let clock: @Sendable () -> Double
    private let runner: Runner
    /// Seconds between looks at a queue other daemons share (nil for the daemon's own): they enqueue jobs and let
    /// leases expire without waking this daemon's workers.
    private let pollInterval: Double?
    /// The queue's gangs and the name this node's workers are reachable at for the leaders' hostfiles; nil where a
    /// job's ranks run beside the worker that claimed it.
    private let gangs: (queue: any GangScheduling, host: String)?
    let logger: Logger
    private let condition = NSCondition()
    private var running: [QueuedJob: TrainingJobControl] = [:]
    private var shuttingDown = false
    private var liveWorkers = 0
    /// Counts the moments a job may have become claimable (enqueued, or let go by a worker), so a worker that found
    /// nothing to claim waits only if nothing has happened since it looked.
    private var wakeups = 0
    /// When a worker last ran `recoverInterruptedJobs` on a shared queue.
    private var lastRecovery = -Double.infinity

    /// - Parameters:
    ///   - concurrency: how many jobs train at once (each uses every core oneDNN is given); 0 leaves a shared queue to other nodes.
    ///   - daemonID: names this daemon's workers (`<daemonID>/<n>`) among every claimant of `jobs`.
    ///   - clock: seconds since 1970, for leases and the state changes of stops and recoveries.
    ///   - pollInterval: for a queue other daemons share, how often an idle worker looks for new jobs and recovers
    ///     expired leases (the jobs of a daemon that died), so that another daemon's worker resumes them.
    ///   - advertisedHost: for a queue that schedules gangs, the name this node is reachable at: its idle workers
    ///     then join other workers' gangs.
    ///   - runner: what a worker does with a job it has claimed.
    package init(
        jobs: any TrainingJobQueue,
        concurrency: Int,
        daemonID: String = UUID().uuidString,
        clock: @escaping @Sendable () -> Double,
        logger: Logger,
        pollInterval: Double? = nil,
        advertisedHost: String? = nil,
        runner: @escaping Runner
    ) {
        self.jobs = jobs
        self.concurrency = max(0, concurrency)
        self.daemonID = daemonID
        self.clock = clock
        self.runner = runner
        self.pollInterval = pollInterval
        if let queue = jobs as? any GangScheduling, let advertisedHost { gangs = (queue, advertisedHost) } else { gangs = nil }
        self.logger = logger
    }

    /// Brings interrupted jobs back into the queue (before the daemon's port opens).
    package func recoverInterruptedJobs() throws {
        try jobs.recoverExpiredLeases(now: clock()) { [logger, clock] record in try Self.recover(&record, at: clock(), logger: logger) }
    }

    /// Starts the workers (after `recoverInterruptedJobs`).
    package func start() {
        for index in 0..<concurrency {
            condition.withLock { liveWorkers += 1 }
            let thread = Thread { [self] in work(worker: "\(daemonID)/\(index)") }
            thread.name = "apiary-training-\(index)"
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    package func enqueue(_ job: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool {
        guard try jobs.enqueue(job, tags: tags) else { return false }
        wakeWorkers()
        return true
    }

    package func stop(_ name: String, at time: Double) throws {
        try stop(
            QueuedJob(kind: .trainingJob, name: name),
            running: { try TrainingJobLifecycle.apply(.stopRequested, to: &$0, at: time) },
            queued: { try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &$0, at: time) }
        )
    }

    package func stopTransform(_ name: String, at time: Double) throws {
        try stop(
            QueuedJob(kind: .transformJob, name: name),
            running: { try TransformJobLifecycle.stopRequested(&$0, at: time) },
            queued: { TransformJobLifecycle.ended(&$0, status: .stopped, at: time) }
        )
    }

    /// A held job's record takes `running` and its worker (if it is one of ours) a stop request; a queued one leaves
    /// the queue with `queued`.
    private func stop(_ job: QueuedJob, running: @escaping TrainingJobQueue.Change, queued: @escaping TrainingJobQueue.Change) throws {
        guard try jobs.stop(job, ifQueued: queued, ifClaimed: running) != nil else { return }
        // A worker registers its control before it reads the record, so one that is not registered yet sees Stopping.
        condition.withLock { self.running[job]?.request(.userStop) }
    }

    /// The jobs a worker of this daemon is running now.
    package var runningJobs: [QueuedJob] {
        condition.withLock { running.keys.sorted { $0.description < $1.description } }
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
        for job in runningJobs {
            try job.kind == .transformJob ? stopTransform(job.name, at: time) : stop(job.name, at: time)
        }
        condition.lock()
        while !running.isEmpty { condition.wait() }
        condition.unlock()
    }

    /// What an idle worker found: a job of its own, or a slot in another worker's gang.
    private enum Assignment {
        case job(TrainingJobControl)
        case member(GangSlot)
    }

    private func work(worker: String) {
        WorkerPriority.lowerForBackgroundWork()
        while let assignment = claim(worker: worker) {
            switch assignment {
            case .job(let control):
                runner(control.job, control)
                control.releaseUnlessEnded(logger: logger)
                condition.withLock { running[control.job] = nil }
            case .member(let slot):
                hold(slot)
            }
            wakeWorkers()
        }
        condition.withLock {
            liveWorkers -= 1
            condition.broadcast()
        }
    }

    /// Waits for a slot in the oldest gang short of members or, failing one, the oldest queued job nobody holds (and
    /// registers its control); nil once shutting down.
    private func claim(worker: String) -> Assignment? {
        while true {
            let looked = condition.withLock { wakeups }
            recoverIfDue()
            let lease: JobLease?
            do {
                if let gangs, let slot = try gangs.queue.join(worker: worker, host: gangs.host, now: clock()) {
                    guard condition.withLock({ !shuttingDown }) else {
                        try? gangs.queue.leave(slot)
                        return nil
                    }
                    return .member(slot)
                }
                lease = try jobs.claim(worker: worker, now: clock())
            } catch {
                logger.error("cannot read the training queue", metadata: ["error": "\(error)"])
                lease = nil
            }
            if let lease {
                let control = TrainingJobControl(lease: lease, queue: jobs, clock: clock, logger: logger)
                let registered = condition.withLock {
                    guard !shuttingDown else { return false }
                    running[lease.job] = control
                    return true
                }
                if registered {
                    control.startHeartbeats()
                    return .job(control)
                }
                control.releaseUnlessEnded(logger: logger)
                return nil
            }
            condition.lock()
            defer { condition.unlock() }
            if let pollInterval {
                let deadline = Date(timeIntervalSinceNow: pollInterval)
                while !shuttingDown, wakeups == looked, condition.wait(until: deadline) {}
            } else {
                while !shuttingDown, wakeups == looked { condition.wait() }
            }
            guard !shuttingDown else { return nil }
        }
    }

    /// A member's slot in another worker's gang, renewed every `pollInterval` (and at least every sixth of the lease)
    /// until the slot is gone — the job ended, was given back, or its leader's lease was lost — or the daemon shuts
    /// down (the slot is given up; ranks the leader already started on this host are `mpirun`'s, and run on).
    private func hold(_ slot: GangSlot) {
        guard let gangs else { return }
        let job: Logger.Metadata = ["job": "\(slot.job.name)", "host": "\(slot.host)"]
        logger.info("joined the gang of a multi-instance training job", metadata: job)
        let tick = min(pollInterval ?? 1, gangs.queue.leaseDuration / 6)
        var slot = slot
        while true {
            let stopping = condition.withLock { () -> Bool in
                let deadline = Date(timeIntervalSinceNow: tick)
                while !shuttingDown, condition.wait(until: deadline) {}
                return shuttingDown
            }
            if stopping {
                do { try gangs.queue.leave(slot) } catch { logger.error("cannot give up a gang slot", metadata: job.merging(["error": "\(error)"]) { $1 }) }
                break
            }
            do {
                guard let renewed = try gangs.queue.renew(slot, now: clock()) else { break }
                slot = renewed
            } catch let error where clock() < slot.expires {
                logger.warning("cannot renew a gang slot; trying again", metadata: job.merging(["error": "\(error)"]) { $1 })
            } catch {
                logger.error("a gang slot expired unrenewed; leaving the gang", metadata: job.merging(["error": "\(error)"]) { $1 })
                break
            }
        }
        logger.info("left the gang of a multi-instance training job", metadata: job)
    }

    /// On a shared queue, one worker per `pollInterval` hands the jobs whose leases expired back to the queue.
    private func recoverIfDue() {
        guard let pollInterval else { return }
        let now = clock()
        let due = condition.withLock {
            guard now - lastRecovery >= pollInterval else { return false }
            lastRecovery = now
            return true
        }
        guard due else { return }
        do {
            try recoverInterruptedJobs()
        } catch {
            logger.error("cannot recover expired leases of the training queue", metadata: ["error": "\(error)"])
        }
    }

    private func wakeWorkers() {
        condition.withLock {
            wakeups += 1
            condition.broadcast()
        }
    }

    /// A job whose worker went away (a crash, a shutdown, a lost lease): a running training job goes back to Starting
    /// (resuming from its checkpoint when run), one being stopped ends Stopped, a queued one stays queued; a transform
    /// job stays queued (its worker ends a Stopping one Stopped, and runs the others again from the start).
    static func recover(_ job: inout ResourceRecord, at now: Double, logger: Logger) throws -> JobRecovery {
        guard job.kind == .trainingJob else { return .requeue }
        switch job.status(as: TrainingJobStatus.self) {
        case .stopping?:
            try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &job, at: now)
            return .remove
        case .inProgress? where job.document["SecondaryStatus"]?.stringValue.flatMap(SecondaryStatus.init(rawValue:))?.isRunning == true:
            try TrainingJobLifecycle.apply(
                .secondary(.starting, message: "Apiary restarted while this job was running; it resumes from its last checkpoint"),
                to: &job,
                at: now
            )
            logger.info("training job will resume", metadata: ["job": "\(job.name)"])
            return .requeue
        case .inProgress?:
            return .requeue
        default:
            return .remove
        }
    }
}
