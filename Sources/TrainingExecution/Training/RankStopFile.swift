import Foundation

/// How the launcher of a multi-instance job (`MultiInstanceRun`) asks its ranks to stop gracefully (StopTrainingJob,
/// `MaxRuntimeInSeconds`): a file `stop` in the job's work directory, which the ranks share. Each rank looks for it at
/// every step's end, and the ranks agree on the step to stop at (`TrainingJobRunner` sums their answers), so that none
/// is left waiting in a collective and rank 0 uploads the best model so far, as a one-instance job does.
///
/// A file rather than a signal through `mpirun` (which forwards SIGUSR1 to its ranks): the daemon's worker threads
/// block most signals, and `mpirun` inherits that mask, so it would never take the signal to forward.
package struct RankStopFile {
    let url: URL

    package init(workDirectory: URL) {
        url = workDirectory.appendingPathComponent("stop")
    }

    /// Asks the ranks to stop.
    func request() throws {
        try Data().write(to: url)
    }

    /// Forgets an earlier request, before the ranks start.
    func clear() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Whether a stop was asked for.
    package var isRequested: Bool { FileManager.default.fileExists(atPath: url.path) }
}
