import TrainingExecution
import AWSProtocol
import ArgumentParser
import Foundation
import JobService
import MPITraining
import ModelCore
import ObjectStore

/// `ctl training-rank`: one rank of a data-parallel training job (`ResourceConfig.InstanceCount > 1`), the
/// process `mpirun` starts N of. Hidden: people create training jobs, and the ranks are the launcher's.
///
/// Every rank reads the channels from the daemon's object store directory (or, on a `ctl worker --endpoint-url`, through
/// the daemon's S3 API, signed with `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`), trains its part of each global batch
/// and sums gradients with the others over Open MPI; rank 0 (`algo-1`) checkpoints into the shared work directory (and
/// the object store) and uploads the model. A rank that fails ends the whole job (`MPI_Abort`), so none waits on a dead peer.
/// A file `stop` in the work directory (`RankStopFile`) stops the ranks together at a step's end, rank 0 uploading the
/// best model so far.
struct TrainingRank: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training-rank",
        abstract: "Run one rank of a multi-instance training job; started by mpirun, one process per instance.",
        usage: """
            mpirun -np 2 ctl training-rank --object-store ~/.apiary/s3 --request create-training-job.json --work-dir ~/.apiary/jobs/bees-2
            """,
        discussion: """
            Without mpirun it trains alone, as a one-instance job would. A file named stop in the work directory \
            (touch WORK_DIR/stop) stops the ranks at the next step; an epoch completed, rank 0 uploads the best model \
            so far. Exit status: 0 Completed or stopped, 1 Failed (on any rank).
            """,
        shouldDisplay: false
    )

    @Option(help: "The object store's directory ($APIARY_HOME/s3): it holds the channels and receives the model.")
    var objectStore: String?
    @Option(help: "Instead of --object-store: a daemon's URL, whose S3 API holds the channels and receives the model.")
    var endpointURL: String?
    @Option(help: "The job's CreateTrainingJob request, as a JSON file.")
    var request: String
    @Option(help: "The job's work directory for checkpoints, shared by the ranks (created if needed).")
    var workDir: String
    @Flag(help: "Print each event as a JSON report line for the daemon that launched the ranks, not as a log line.")
    var report = false

    func run() throws {
        let mpi = MPIGradientReducer.isLaunchedByMPIRun(ProcessInfo.processInfo.environment) ? try MPIGradientReducer() : nil
        let reducer: any GradientReducer = mpi ?? SingleProcessReducer()
        let host = DataParallelTraining.host(rank: reducer.rank)
        let spec: TrainingJobSpec
        do {
            spec = try TrainingJobSpec(request: JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: request))))
        } catch {
            fail(host, "cannot read the training job request \(request): \(error)", mpi: mpi)
        }
        let workDirectory = URL(fileURLWithPath: workDir, isDirectory: true)
        let store: any ObjectStorage
        switch (objectStore, endpointURL.flatMap { URL(string: $0) }) {
        case (let directory?, nil):
            store = ObjectStore(root: URL(fileURLWithPath: directory, isDirectory: true))
        case (nil, let url?):
            let endpoint = S3Endpoint(url: url, credentials: ClientCredentials(environment: ProcessInfo.processInfo.environment))
            store = RemoteObjectStore(endpoint: endpoint, scratch: workDirectory.appendingPathComponent("tmp-\(host)", isDirectory: true))
        default:
            fail(host, "pass either --object-store DIR or --endpoint-url URL (an http(s) URL)", mpi: mpi)
        }
        let runner = TrainingJobRunner(spec: spec, store: store, workDirectory: workDirectory, reducer: reducer)
        let stopFile = RankStopFile(workDirectory: workDirectory)
        let outcome = runner.run(stopRequested: { stopFile.isRequested ? .userStop : nil }) { event in
            if report {
                RankReport(event).map { emit($0.line) }
            } else if case .log(let line) = event {
                emit(AlgorithmLog.line(line))
            }
        }
        if case .failed(let reason) = outcome.ending { fail(host, reason, mpi: mpi) }
        if let timing = mpi?.timing.line(host: host) {
            emit(report ? RankReport.log(timing).line : AlgorithmLog.line(timing))
        }
        if report, reducer.rank == 0 { emit(RankReport(outcome).line) }
        mpi?.finish()
    }

    /// One line on standard output, unbuffered: mpirun forwards it while the rank trains.
    private func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// The failure on standard error, then every rank ends.
    private func fail(_ host: String, _ message: String, mpi: MPIGradientReducer?) -> Never {
        FileHandle.standardError.write(Data("error: \(host): \(message)\n".utf8))
        mpi?.abort(1)
        Foundation.exit(1)
    }
}
