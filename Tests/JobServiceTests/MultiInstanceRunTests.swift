import ObjectStore
import Testing

@testable import TrainingExecution

/// How the daemon reads `mpirun --tag-output` of a multi-instance job's ranks (`MultiInstanceRun`): which host said
/// what, rank 0's reports, how one mpirun ended, and whether the ranks are started again (`RankRestartPolicy`).
@Suite("Multi-instance runs: mpirun's output")
struct MultiInstanceRunTests {
    /// The lines `lines` leave in a fresh tally, with what went to progress and to each rank's log.
    static func tally(_ lines: [String]) -> (MultiInstanceRun.Tally, progress: [TrainingProgress], ranks: [(Int, String)]) {
        var tally = MultiInstanceRun.Tally()
        var progress: [TrainingProgress] = []
        var ranks: [(Int, String)] = []
        for line in lines { tally.handle(RankOutput.parse(line), progress: { progress.append($0) }, rankLog: { ranks.append(($0, $1)) }) }
        return (tally, progress, ranks)
    }

    @Test("tagged lines name their rank; mpirun's own lines none")
    func tags() {
        #expect(RankOutput.parse("[1,1]<stderr>:error: algo-2: x") == .init(rank: 1, text: "error: algo-2: x"))
        #expect(RankOutput.parse("[1,0]<stdout>:[12/04/2026 INFO] a: b") == .init(rank: 0, text: "[12/04/2026 INFO] a: b"))
        #expect(RankOutput.parse("[12/04/2026 INFO] text") == .init(rank: nil, text: "[12/04/2026 INFO] text"))
    }

    @Test("rank 0's reports are the job's progress and outcome; another rank's go to its own log")
    func reports() {
        let outcome = TrainingJobOutcome(
            ending: .completed, finalMetrics: [TrainingMetric(name: "validation:mAP", value: 0.5)], modelArtifacts: nil, completedEpochs: 2)
        let (tally, progress, ranks) = Self.tally([
            "[1,0]<stdout>:" + RankReport(.secondaryStatus(.training, message: "Training in progress."))!.line,
            "[1,1]<stdout>:" + RankReport(.log("#quality_metric: host=algo-2, epoch=0"))!.line,
            "[1,0]<stdout>:" + RankReport(outcome).line,
        ])
        #expect(progress == [.secondaryStatus(.training, message: "Training in progress.")])
        #expect(ranks.map(\.0) == [1] && ranks.map(\.1) == ["#quality_metric: host=algo-2, epoch=0"])
        #expect(tally.outcome == outcome)
    }

    @Test("a rank that fails on its data fails the job naming its host; a rank that dies is a death to restart from")
    func endings() {
        let failed = Self.tally(["[1,1]<stderr>:error: algo-2: ClientError: Unable to read image 'a.jpg'"]).0
        #expect(failed.ending(status: 1) == .failed(reason: "ClientError: algo-2: Unable to read image 'a.jpg'"))
        let notice = "mpirun noticed that process rank 1 with PID 42 on node h exited on signal 9 (Killed)."
        #expect(Self.tally([notice]).0.ending(status: 137) == .rankDied(host: "algo-2", notice: notice))
        // Rank 0's collective fails as its peer dies: the death is what happened, not algo-1's own failure.
        let peerLost = "[1,0]<stderr>:error: algo-1: AlgorithmError: MPI_Allreduce of 4 values failed: connection reset."
        #expect(Self.tally([peerLost, notice]).0.ending(status: 1) == .rankDied(host: "algo-2", notice: notice))
        // A rank's own failure stays its own when mpirun reports the others it ended.
        let own = Self.tally(["[1,1]<stderr>:error: algo-2: ClientError: Unable to read image 'a.jpg'", notice]).0
        #expect(own.ending(status: 1) == .failed(reason: "ClientError: algo-2: Unable to read image 'a.jpg'"))
        guard case .failed(let reason) = Self.tally([]).0.ending(status: 1) else { Issue.record("no failure"); return }
        #expect(reason.hasPrefix("AlgorithmError: mpirun exited with status 1"))
    }

    @Test("a dead rank restarts the ranks from the checkpoint twice, then fails naming the host; a rank's own failure never restarts")
    func restartPolicy() {
        let policy = RankRestartPolicy()
        let died = RankRestartPolicy.LaunchEnding.rankDied(host: "algo-2", notice: "mpirun noticed that process rank 1 … (Killed).")
        #expect(
            policy.next(after: died, attempt: 1, checkpointEpochs: 1)
                == .restart(message: "algo-2 died; restarting the instances from the checkpoint of epoch 1 (attempt 2 of 3)"))
        #expect(
            policy.next(after: died, attempt: 2, checkpointEpochs: nil)
                == .restart(message: "algo-2 died; restarting the instances from the start (no epoch had completed) (attempt 3 of 3)"))
        guard case .end(let outcome) = policy.next(after: died, attempt: 3, checkpointEpochs: 2), let reason = outcome.failureReason else {
            Issue.record("the third death did not fail the job")
            return
        }
        #expect(reason.hasPrefix("AlgorithmError: algo-2 died in attempt 3 of 3 (mpirun noticed that process rank 1"), "\(reason)")

        let ownFailure = RankRestartPolicy.LaunchEnding.failed(reason: "ClientError: algo-2: Unable to read image 'a.jpg'")
        #expect(
            policy.next(after: ownFailure, attempt: 1, checkpointEpochs: 1)
                == .end(TrainingJobOutcome(ending: .failed(failureReason: "ClientError: algo-2: Unable to read image 'a.jpg'"), finalMetrics: [], modelArtifacts: nil, completedEpochs: 0)))
        let stopped = TrainingJobOutcome(ending: .stopped(.userStop), finalMetrics: [], modelArtifacts: nil, completedEpochs: 1)
        #expect(policy.next(after: .ended(stopped), attempt: 1, checkpointEpochs: 1) == .end(stopped))
    }

    @Test("rank 0's report of a stop is a stopped outcome, with its model")
    func stoppedReport() {
        let outcome = TrainingJobOutcome(
            ending: .stopped(.userStop), finalMetrics: [TrainingMetric(name: "validation:mAP", value: 0.5)],
            modelArtifacts: S3URI("s3://models/out/model.tar.gz"), completedEpochs: 1)
        #expect(RankReport(line: RankReport(outcome).line)?.outcome == outcome)
    }
}
