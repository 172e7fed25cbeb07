/// Whether the ranks of a multi-instance job are started again after one `mpirun` of them ended (`MultiInstanceRun`).
///
/// A rank that dies (killed, out of memory, its host lost) fails the step, and `mpirun` ends the others; started
/// again, the ranks resume from rank 0's last epoch checkpoint in the work directory, as after a daemon's restart, and
/// end as an uninterrupted run would. That is tried a bounded number of times. A rank that fails on its own (bad data
/// in its shard: `error: algo-N: ClientError …`) fails the job at once: it would fail again.
struct RankRestartPolicy: Equatable {
    /// How one `mpirun` of the ranks ended.
    enum LaunchEnding: Equatable {
        /// With the job's outcome: rank 0's report, or a stop.
        case ended(TrainingJobOutcome)
        /// With a failure a restart cannot mend (its `FailureReason`): a rank's own, or `mpirun` not starting.
        case failed(reason: String)
        /// `mpirun` noticed that the rank of `host` died (`notice`, its own line) and ended the others.
        case rankDied(host: String, notice: String)
    }

    /// What the launcher does next.
    enum Decision: Equatable {
        /// The job ends with this outcome.
        case end(TrainingJobOutcome)
        /// Starts the ranks again; `message` says why and from where, for the job's log and secondary status (the
        /// log has `mpirun`'s own line already).
        case restart(message: String)
    }

    /// How many times the ranks are started for one run of the job, the first launch included.
    var attempts = 3

    /// - Parameters:
    ///   - ending: how launch number `attempt` (from 1) ended.
    ///   - checkpointEpochs: the epochs of rank 0's last checkpoint, which the ranks resume from (nil: none yet).
    func next(after ending: LaunchEnding, attempt: Int, checkpointEpochs: Int?) -> Decision {
        switch ending {
        case .ended(let outcome):
            return .end(outcome)
        case .failed(let reason):
            return .end(Self.failed(reason))
        case .rankDied(let host, _) where attempt < attempts:
            let from = checkpointEpochs.map { "from the checkpoint of epoch \($0)" } ?? "from the start (no epoch had completed)"
            return .restart(message: "\(host) died; restarting the instances \(from) (attempt \(attempt + 1) of \(attempts))")
        case .rankDied(let host, let notice):
            return .end(
                Self.failed(
                    "AlgorithmError: \(host) died in attempt \(attempt) of \(attempts) (\(notice)); mpirun ended the other instances, "
                        + "and a rank had died in every attempt, so they were not restarted again."))
        }
    }

    private static func failed(_ reason: String) -> TrainingJobOutcome {
        TrainingJobOutcome(ending: .failed(failureReason: reason), finalMetrics: [], modelArtifacts: nil, completedEpochs: 0)
    }
}
