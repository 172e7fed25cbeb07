import AWSProtocol
import Foundation
import ModelCore

/// A training job on `ResourceConfig.InstanceCount` N > 1, run by the daemon as N ranks of `ctl training-rank`
/// under Open MPI's `mpirun` (the instances `algo-1` … `algo-N`), each a process of its own: on this host, or on the
/// hosts of the job's gang (`GangScheduling`) from a hostfile, which `mpirun` reaches over ssh.
///
/// Rank 0 reports its statuses, log and outcome as `RankReport` lines, which reach `progress` as an in-process job's
/// events would; every other line of a rank goes to `rankLog` with the rank. `stopRequested` is polled while the
/// ranks run. StopTrainingJob and `MaxRuntimeInSeconds` write the `RankStopFile`: the ranks stop together at a step's
/// end and rank 0 uploads the best model so far, as a one-instance job does (SIGTERM after `stopGrace` if they have
/// not ended); a shutdown ends `mpirun` at once, the job staying queued. A rank that dies has the ranks
/// started again from rank 0's last checkpoint (`RankRestartPolicy`); a rank that fails ends the job `Failed` with a
/// reason naming its host.
package struct MultiInstanceRun {
    /// The job's CreateTrainingJob request (its stored document).
    let request: JSONValue
    let instanceCount: Int
    /// The `ctl` whose `training-rank` the ranks run: the daemon's own executable.
    let rankExecutable: URL
    /// How every rank reaches the object store it reads the channels from and rank 0 writes checkpoints and the model
    /// to: `--object-store <directory>`, or `--endpoint-url <a daemon's URL>` (its S3 API).
    let objectArguments: [String]
    /// The job's work directory: the request file and rank 0's checkpoints, which every rank resumes from.
    let workDirectory: URL
    /// The gang's hosts in rank order, one per instance (this worker's first); empty: every rank on this host.
    let hosts: [String]

    /// Seconds `mpirun` has to end its ranks after SIGTERM before it is killed.
    static let terminationGrace = 10.0
    /// Seconds the ranks have after the `RankStopFile` to reach a step's end and upload the best model before they are
    /// ended with SIGTERM: SageMaker's grace after its own SIGTERM.
    static let stopGrace = 120.0
    /// When the ranks are started again.
    static let restarts = RankRestartPolicy()

    package init(request: JSONValue, instanceCount: Int, rankExecutable: URL, objectArguments: [String], workDirectory: URL, hosts: [String] = []) {
        self.request = request
        self.instanceCount = instanceCount
        self.rankExecutable = rankExecutable
        self.objectArguments = objectArguments
        self.workDirectory = workDirectory
        self.hosts = hosts
    }

    /// Variables the ranks on other hosts need from this worker's environment (a remote object store's credentials),
    /// passed on by `mpirun -x` when they are set.
    static let forwardedVariables = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION"]

    /// Open MPI's hostfile for `hosts` in rank order: one line per slot (a host named k times has k slots), so that
    /// `mpirun`, filling each host's slots in the order the hosts first appear, starts rank 0 (algo-1) on the first.
    /// Not `<host> slots=<k>`: two names of one machine (`localhost`, `127.0.0.1`) are one node to Open MPI, which
    /// refuses two slot counts for it, and adds up repeated lines.
    package static func hostfile(_ hosts: [String]) -> String {
        hosts.map { $0 + "\n" }.joined()
    }

    /// The `mpirun` command line: one slot per instance on this host (or the hostfile's), output lines tagged with
    /// their rank, each rank's OpenMP threads a share of its host's cores.
    func arguments(requestFile: URL, hostfile: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let ranksPerHost = hosts.isEmpty ? instanceCount : Dictionary(grouping: hosts) { $0 }.values.map(\.count).max() ?? 1
        let threads = max(1, ProcessInfo.processInfo.activeProcessorCount / ranksPerHost)
        var placement: [String] = []
        if let hostfile {
            placement = ["--hostfile", hostfile.path] + Self.forwardedVariables.filter { environment[$0] != nil }.flatMap { ["-x", $0] }
        }
        return ["mpirun", "--allow-run-as-root", "--oversubscribe", "--tag-output", "-np", String(instanceCount)] + placement + [
            "-x", "OMP_NUM_THREADS=\(threads)", "-x", "OMP_WAIT_POLICY=PASSIVE",
            rankExecutable.path, "training-rank",
        ] + objectArguments + [
            "--request", requestFile.path, "--work-dir", workDirectory.path, "--report",
        ]
    }

    package func run(
        stopRequested: () -> TrainingStopReason?, progress: (TrainingProgress) -> Void, rankLog: (Int, String) -> Void
    ) -> TrainingJobOutcome {
        var attempt = 1
        while true {
            let ending = launch(stopRequested: stopRequested, progress: progress, rankLog: rankLog)
            let checkpoint = (try? TrainingWorkDirectory(url: workDirectory).loadProgress())?.completedEpochs
            switch Self.restarts.next(after: ending, attempt: attempt, checkpointEpochs: checkpoint) {
            case .end(let outcome):
                return outcome
            case .restart(let message):
                progress(.log(message))
                progress(.secondaryStatus(.training, message: message))
            }
            if let stop = stopRequested() {
                return TrainingJobOutcome(ending: .stopped(stop), finalMetrics: [], modelArtifacts: nil, completedEpochs: 0)
            }
            attempt += 1
        }
    }

    /// Runs `mpirun` once, to its end.
    private func launch(
        stopRequested: () -> TrainingStopReason?, progress: (TrainingProgress) -> Void, rankLog: (Int, String) -> Void
    ) -> RankRestartPolicy.LaunchEnding {
        let process = Process()
        let output = RankOutput()
        let stopFile = RankStopFile(workDirectory: workDirectory)
        stopFile.clear()
        do {
            try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
            let requestFile = workDirectory.appendingPathComponent("request.json")
            try Data(request.rendered().utf8).write(to: requestFile, options: .atomic)
            let hostfile = hosts.isEmpty ? nil : workDirectory.appendingPathComponent("hostfile")
            if let hostfile { try Data(Self.hostfile(hosts).utf8).write(to: hostfile, options: .atomic) }
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments(requestFile: requestFile, hostfile: hostfile)
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            process.standardInput = FileHandle.nullDevice
            try process.run()
            output.read(pipe.fileHandleForReading)
        } catch {
            return .failed(reason: "AlgorithmError: cannot start mpirun for \(instanceCount) instances: \(error). Is Open MPI installed (openmpi-bin)?")
        }
        var state = Tally()
        var stop: TrainingStopReason?
        var termination: Date?
        var terminated: Date?
        var ranks: [Int32] = []
        while true {
            let (lines, ended) = output.take(waiting: 0.25)
            for line in lines { state.handle(line, progress: progress, rankLog: rankLog) }
            if ended { break }
            if stop == nil, let reason = stopRequested() {
                stop = reason
                // Asked through the file, the ranks have `stopGrace` to stop together; a shutdown ends them now.
                let asked = reason != .shutdown && (try? stopFile.request()) != nil
                termination = Date().addingTimeInterval(asked ? Self.stopGrace : 0)
            }
            if terminated == nil, let termination, Date() >= termination {
                terminated = Date()
                ranks = Self.children(of: process.processIdentifier)
                // SIGTERM to the ranks as well as to mpirun, which would forward it: mpirun inherits the signal mask
                // of the daemon's worker thread, where SIGTERM is blocked; it exits once they have.
                process.terminate()
                for rank in ranks { kill(rank, SIGTERM) }
            } else if let terminated, Date().timeIntervalSince(terminated) > Self.terminationGrace, process.isRunning {
                kill(process.processIdentifier, SIGKILL)
            }
        }
        process.waitUntilExit()
        Self.removeSessionDirectory(of: process.processIdentifier)
        guard let stop else { return state.ending(status: process.terminationStatus) }
        if terminated != nil { Self.end(ranks) }
        // The ranks stopped together (rank 0 uploaded the best model if an epoch had completed), or finished first.
        if var outcome = state.outcome, terminated == nil || outcome.failureReason == nil {
            if case .stopped = outcome.ending { outcome.ending = .stopped(stop) }
            return .ended(outcome)
        }
        return .ended(TrainingJobOutcome(ending: .stopped(stop), finalMetrics: [], modelArtifacts: nil, completedEpochs: 0))
    }

    /// The ranks of the `mpirun` with process id `pid`: its children. It starts each in a process group of its own,
    /// so signalling `mpirun`'s group would not reach them.
    static func children(of pid: Int32) -> [Int32] {
        let list = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return list.split(separator: " ").compactMap { Int32($0) }
    }

    /// Removes the session directory of the `mpirun` with process id `pid` (`$TMPDIR/ompi.<host>.<uid>/pid.<pid>`, and
    /// that parent once empty — `rmdir`, so never another `mpirun`'s): `mpirun` removes it when its ranks end on their
    /// own, but not when it is stopped or killed.
    package static func removeSessionDirectory(of pid: Int32) {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count) == 0 else { return }
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .split(separator: ".").first.map(String.init) ?? ""
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let session = URL(fileURLWithPath: base).appendingPathComponent("ompi.\(host).\(getuid())")
        try? FileManager.default.removeItem(at: session.appendingPathComponent("pid.\(pid)"))
        rmdir(session.path)
    }

    /// Makes sure `ranks` are gone once `mpirun` has exited (it may exit before they do): SIGKILL to those left, then
    /// waits, up to the grace period, until the system has none of them.
    static func end(_ ranks: [Int32]) {
        let deadline = Date().addingTimeInterval(terminationGrace)
        var alive = ranks.filter { kill($0, 0) == 0 }
        for rank in alive { kill(rank, SIGKILL) }
        while !alive.isEmpty, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            alive = alive.filter { kill($0, 0) == 0 }
        }
    }

    /// What the lines so far said: rank 0's outcome, and why a rank failed.
    struct Tally {
        var outcome: TrainingJobOutcome?
        /// The first `error: algo-N: <reason>` a failing rank printed.
        var rankError: String?
        /// `mpirun`'s own line on a rank that died.
        var deadRank: (rank: Int, line: String)?

        mutating func handle(_ line: RankOutput.Line, progress: (TrainingProgress) -> Void, rankLog: (Int, String) -> Void) {
            if let report = RankReport(line: line.text) {
                if line.rank == 0, let event = report.progress { return progress(event) }
                if line.rank == 0, let outcome = report.outcome { return self.outcome = outcome }
                if case .log(let text) = report { rankLog(line.rank ?? 0, text) }
                return
            }
            if rankError == nil, line.text.hasPrefix("error: algo-") { rankError = String(line.text.dropFirst("error: ".count)) }
            if deadRank == nil, let rank = Self.deadRank(in: line.text) { deadRank = (rank, line.text) }
            if line.rank == nil || line.rank == 0 { progress(.log(line.text)) } else { rankLog(line.rank!, line.text) }
        }

        /// `mpirun noticed that process rank 1 with PID … exited on signal 9 (Killed).` → 1.
        static func deadRank(in text: String) -> Int? {
            guard let range = text.range(of: "mpirun noticed that process rank ") else { return nil }
            return Int(text[range.upperBound...].prefix { $0.isNumber })
        }

        /// How `mpirun` ended, with status `status`: with rank 0's outcome, a rank's own failure (its error line, unless
        /// it is only an MPI call that failed as a peer died), or a rank's death `mpirun` noticed.
        func ending(status: Int32) -> RankRestartPolicy.LaunchEnding {
            if let outcome, status == 0 || outcome.failureReason != nil { return .ended(outcome) }
            if let rankError, !rankError.contains(": AlgorithmError: MPI_") { return .failed(reason: Self.failureReason(rankError)) }
            if let deadRank {
                return .rankDied(host: DataParallelTraining.host(rank: deadRank.rank), notice: deadRank.line.trimmingCharacters(in: .whitespaces))
            }
            if let rankError { return .failed(reason: Self.failureReason(rankError)) }
            return .failed(reason: "AlgorithmError: mpirun exited with status \(status) before algo-1 reported an outcome; see the job's algo-N log streams.")
        }

        /// `algo-2: ClientError: Unable to read image …` → `ClientError: algo-2: Unable to read image …`
        static func failureReason(_ rankError: String) -> String {
            let parts = rankError.split(separator: ":", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 3, ["ClientError", "AlgorithmError"].contains(parts[1]) { return "\(parts[1]): \(parts[0]): \(parts[2])" }
            return "AlgorithmError: \(rankError)"
        }
    }
}
