/// A queue whose multi-instance training jobs (`ResourceConfig.InstanceCount` N > 1) run on N workers at once, on any
/// nodes (gang scheduling): the worker that claims such a job leads its gang, and idle workers join the oldest gang
/// still short of members before they claim a job of their own. Only a queue several nodes share needs it (the
/// PostgreSQL driver); on one machine a job's ranks run beside the worker that claimed it.
///
/// What a driver guarantees, on top of `TrainingJobQueue`'s contract:
/// - **join**: a slot in the oldest gang (queue order) whose leader holds a live lease, whose ranks have not started
///   and which has fewer than N − 1 live members; joins are atomic against each other and the leader's `gather`, so a
///   gang never has more than N members (its leader included).
/// - **renew**: a member's slot lives `leaseDuration` from its join or last renewal; nil once it is gone — the job
///   ended, the leader gave the job back or lost its lease, or the slot expired and the leader dropped it — and the
///   member is then free again.
/// - **gather**: the leader's look at its gang through its lease (nil once the lease is no longer held): its own slot
///   (`host`) first, then the members in the order they joined; expired slots are dropped first (a member that died
///   before the start). The first `gather` that finds N members fixes the gang — nobody joins or is dropped after it —
///   for the leader to start its ranks on their hosts; the gang lasts until the job leaves the queue or its lease ends
///   (released, recovered), and its slots with it.
package protocol GangScheduling: TrainingJobQueue {
    func join(worker: String, host: String, now: Double) throws -> GangSlot?
    func renew(_ slot: GangSlot, now: Double) throws -> GangSlot?
    /// Gives a member's slot up (a worker shutting down).
    func leave(_ slot: GangSlot) throws
    func gather(_ lease: JobLease, host: String, now: Double) throws -> Gang?
}

/// A member's slot in the gang of another worker's job: the worker takes no job of its own while it holds it.
package struct GangSlot: Sendable, Equatable {
    package var job: QueuedJob
    package var worker: String
    /// The name the member's node is reachable at, for the leader's hostfile (`--advertise-host`).
    package var host: String
    package var token: String
    /// Seconds since 1970, on the caller's clock.
    package var expires: Double

    package init(job: QueuedJob, worker: String, host: String, token: String, expires: Double) {
        self.job = job
        self.worker = worker
        self.host = host
        self.token = token
        self.expires = expires
    }
}

/// A multi-instance job's gang as its leader's `gather` found it.
package struct Gang: Sendable, Equatable {
    /// The instances the job asks for.
    package var instances: Int
    /// The host of each live slot, the leader's first, then in the order the members joined: rank order.
    package var hosts: [String]
    /// An older job's gang is short of members too. A leader whose own gang is incomplete then gives its job back and
    /// joins that one, so two incomplete gangs never wait on each other's workers.
    package var olderGangShort: Bool

    package init(instances: Int, hosts: [String], olderGangShort: Bool) {
        self.instances = instances
        self.hosts = hosts
        self.olderGangShort = olderGangShort
    }

    package var isComplete: Bool { hosts.count >= instances }

    /// DescribeTrainingJob's status message while the gang is short: `Waiting for 1 more instance (2 of 3 leased)`,
    /// and where instances come from (a lone daemon with one training worker never completes a gang of two).
    package var waitingMessage: String {
        let missing = instances - hosts.count
        return "Waiting for \(missing) more instance\(missing == 1 ? "" : "s") (\(hosts.count) of \(instances) leased): "
            + "each instance is an idle training worker of a node on this database; start a ctl worker, or give a daemon "
            + "more --training-concurrency"
    }
}
