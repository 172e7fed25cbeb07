import Testing

@testable import TrainingExecution

/// How the daemon reads `mpirun --tag-output` of a multi-instance job's ranks (`MultiInstanceRun`): which host said
/// what, rank 0's reports, and the FailureReason when ranks end without rank 0's outcome.
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

    @Test("a rank that fails on its data, or dies, names its host in the FailureReason")
    func failures() {
        let failed = Self.tally(["[1,1]<stderr>:error: algo-2: ClientError: Unable to read image 'a.jpg'"]).0
        #expect(failed.failureReason(status: 1) == "ClientError: algo-2: Unable to read image 'a.jpg'")
        let died = Self.tally(["mpirun noticed that process rank 1 with PID 42 on node h exited on signal 9 (Killed)."]).0
        #expect(died.failureReason(status: 137).hasPrefix("AlgorithmError: algo-2 died (mpirun noticed that process rank 1"))
        #expect(Self.tally([]).0.failureReason(status: 1).hasPrefix("AlgorithmError: mpirun exited with status 1"))
    }
}
