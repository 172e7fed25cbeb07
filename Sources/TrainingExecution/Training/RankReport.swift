import Foundation
import ObjectStore

/// One line a rank of a multi-instance job (`ctl training-rank --report`) prints for the daemon that launched it
/// (`MultiInstanceRun`): a progress event or, last, the rank's outcome, as JSON after a fixed prefix, so that the
/// daemon records rank 0's statuses, log and metrics exactly as it records an in-process job's, and every other
/// line of `mpirun`'s output stays plain text.
package enum RankReport: Codable, Equatable {
    case status(TrainingSecondaryStatus.RawValue, message: String)
    case resuming(completedEpochs: Int)
    case log(String)
    /// `ending` is `Completed`, `Failed`, or `Stopped` when the ranks stopped on the launcher's `RankStopFile`.
    case outcome(ending: String, failureReason: String?, metrics: [TrainingMetric], modelArtifacts: String?, completedEpochs: Int)

    static let prefix = "apiary-rank-report "

    /// The report of a progress event the daemon records (`nil` for per-epoch metrics and checkpoints, which
    /// reach it in the outcome and the work directory).
    package init?(_ progress: TrainingProgress) {
        switch progress {
        case .secondaryStatus(let status, let message): self = .status(status.rawValue, message: message)
        case .resuming(let epochs): self = .resuming(completedEpochs: epochs)
        case .log(let line): self = .log(line)
        case .epochMetrics, .checkpointSaved: return nil
        }
    }

    package init(_ outcome: TrainingJobOutcome) {
        let ending =
            switch outcome.ending {
            case .completed: "Completed"
            case .stopped: "Stopped"
            case .failed: "Failed"
            }
        self = .outcome(
            ending: ending, failureReason: outcome.failureReason,
            metrics: outcome.finalMetrics, modelArtifacts: outcome.modelArtifacts?.description, completedEpochs: outcome.completedEpochs)
    }

    /// The line to print.
    package var line: String {
        // Encoding plain strings, numbers and arrays of them cannot fail.
        Self.prefix + String(decoding: try! JSONEncoder().encode(self), as: UTF8.self)
    }

    /// The report a line carries, or `nil` for any other line.
    package init?(line: some StringProtocol) {
        guard line.hasPrefix(Self.prefix),
            let report = try? JSONDecoder().decode(RankReport.self, from: Data(line.dropFirst(Self.prefix.count).utf8))
        else { return nil }
        self = report
    }

    /// The progress event reported, if this is one.
    var progress: TrainingProgress? {
        switch self {
        case .status(let status, let message): TrainingSecondaryStatus(rawValue: status).map { .secondaryStatus($0, message: message) }
        case .resuming(let epochs): .resuming(completedEpochs: epochs)
        case .log(let line): .log(line)
        case .outcome: nil
        }
    }

    /// The outcome reported, if this is one; a stop's reason is the launcher's to give (`userStop` until it does).
    var outcome: TrainingJobOutcome? {
        guard case .outcome(let ending, let reason, let metrics, let artifacts, let epochs) = self else { return nil }
        let end: TrainingJobOutcome.Ending =
            switch ending {
            case "Completed": .completed
            case "Stopped": .stopped(.userStop)
            default: .failed(failureReason: reason ?? "AlgorithmError: algo-1 failed")
            }
        return TrainingJobOutcome(
            ending: end,
            finalMetrics: metrics, modelArtifacts: artifacts.flatMap(S3URI.init), completedEpochs: epochs)
    }
}
