@testable import EndpointRuntime
@testable import TrainingExecution
import AWSProtocol
import Foundation
import ModelCore
import ObjectStore
import Testing

@testable import JobService

/// `ResourceConfig.InstanceCount > 1`: ranks of `ctl training-rank` under Open MPI's `mpirun` on loopback.
///
/// With replicated channels and batch norm synchronised over the ranks, N ranks of `mini_batch_size` train as one
/// process with N times that batch (the issue's equality test); the same ranks run as threads of one process
/// (`ThreadRanks`) check the transport alone.
@Suite("Data-parallel training over mpirun", .serialized)
struct DataParallelTrainingTests {
    /// The built `ctl`, beside this test bundle.
    static var ctl: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ctl").path
    }

    static func request(name: String, miniBatchSize: Int, distribution: String = "FullyReplicated", network: String = "vgg-16") -> JSONValue {
        var request = beeRequest(
            name: name,
            hyperparameters: ["base_network": network, "mini_batch_size": String(miniBatchSize), "optimizer": "sgd", "learning_rate": "0.001"]
        )
        request["InputDataConfig"] = .array(
            request["InputDataConfig"]!.arrayValue!.map { channel in
                var channel = channel
                channel["DataSource"]?["S3DataSource"]?["S3DataDistributionType"] = .string(distribution)
                return channel
            }
        )
        return request
    }

    /// Runs `ranks` processes of `ctl training-rank` on `request` under mpirun; returns its status and output.
    static func mpirun(_ ranks: Int, _ request: JSONValue, _ fixture: TestStore) throws -> (status: Int32, output: String) {
        let file = fixture.root.appendingPathComponent("\(UUID().uuidString).json")
        try Data(request.rendered().utf8).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "mpirun", "--allow-run-as-root", "--oversubscribe", "-np", String(ranks), ctl, "training-rank",
            "--object-store", fixture.store.root.path, "--request", file.path,
            "--work-dir", fixture.workDirectory(request["TrainingJobName"]!.stringValue!).path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        MultiInstanceRun.removeSessionDirectory(of: process.processIdentifier)
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// `‖a − b‖ / ‖b‖` over all the tensors of two weight sets with the same names, as one vector. (Per tensor,
    /// batch-norm betas, which stay near zero, differ relatively more: oneDNN sums in another order with other
    /// thread counts.)
    static func relativeDifference(_ a: [NamedTensor], _ b: [NamedTensor]) -> Double {
        #expect(a.map(\.name) == b.map(\.name))
        var difference = 0.0
        var norm = 0.0
        for (a, b) in zip(a, b) {
            for (x, y) in zip(a.values, b.values) {
                difference += Double(x - y) * Double(x - y)
                norm += Double(y) * Double(y)
            }
        }
        return (difference / norm).squareRoot()
    }

    /// The largest `‖a_t − b_t‖ / ‖b_t‖` over the tensors `t` of two weight sets with the same names.
    static func largestTensorDifference(_ a: [NamedTensor], _ b: [NamedTensor]) -> (name: String, value: Double) {
        #expect(a.map(\.name) == b.map(\.name))
        return zip(a, b).map { (a, b) in (a.name, relativeDifference([a], [b])) }.max { $0.1 < $1.1 } ?? ("", 0)
    }

    /// Runs the `size` ranks of `request` as threads of this process (`ThreadRanks`); returns rank 0's outcome.
    /// `stops(rank, epochs)` is rank `rank`'s stop hook once it has seen `epochs` epochs end.
    static func runAsThreads(
        _ size: Int, _ request: JSONValue, _ fixture: TestStore, stops: @escaping @Sendable (_ rank: Int, _ epochs: Int) -> Bool = { _, _ in false }
    ) throws -> TrainingJobOutcome {
        let spec = try TrainingJobSpec(request: request)
        let ranks = ThreadRanks(size: size)
        let (store, work) = (fixture.store, fixture.workDirectory(spec.jobName))
        let outcomes = OutcomeSlots(size)
        let done = DispatchGroup()
        for rank in 0..<size {
            done.enter()
            Thread {
                let runner = TrainingJobRunner(spec: spec, store: store, workDirectory: work, reducer: ranks.reducer(rank: rank))
                var epochs = 0
                let outcome = runner.run(stopRequested: { stops(rank, epochs) ? .userStop : nil }) { event in
                    if case .epochMetrics = event { epochs += 1 }
                }
                outcomes.set(rank, outcome)
                done.leave()
            }.start()
        }
        done.wait()
        return outcomes.first
    }

    @Test("InstanceCount 2 over mpirun -np 2 ends with the weights of one process with the global batch, and rank 0 reports its mAP")
    func mpirunMatchesOneProcessWithTheGlobalBatch() throws {
        let fixture = try TestStore()
        // One epoch: one SGD step over the four training images, as one batch of 4 or as two ranks of 2 (seed 7).
        func request(_ name: String, miniBatchSize: Int) -> JSONValue {
            var request = Self.request(name: name, miniBatchSize: miniBatchSize, network: "apiary-mobile")
            request["HyperParameters"]?["epochs"] = "1"
            return request
        }
        // The reference: one process with the global batch whose batch norm computes its statistics as the ranks
        // do (a lone rank, `DataParallelTraining.synchronizesBatchNorm`)…
        let alone = try Self.runAsThreads(1, request("one-rank", miniBatchSize: 4), fixture)
        #expect(alone.ending == .completed)
        let reference = try TrainingJobRunnerTests.artifact("s3://models/output/one-rank/output/model.tar.gz", fixture).weights
        // …and one process as the daemon trains alone, with oneDNN's own (float) batch statistics.
        let spec = try TrainingJobSpec(request: request("one-process", miniBatchSize: 4))
        let plainOutcome = TrainingJobRunner(spec: spec, store: fixture.store, workDirectory: fixture.workDirectory(spec.jobName))
            .run(stopRequested: { nil }, progress: { _ in })
        #expect(plainOutcome.ending == .completed)
        let plain = try TrainingJobRunnerTests.artifact("s3://models/output/one-process/output/model.tar.gz", fixture).weights

        let run = try Self.mpirun(2, request("global-batch", miniBatchSize: 2), fixture)
        #expect(run.status == 0, "\(run.output)")
        let parallel = try TrainingJobRunnerTests.artifact("s3://models/output/global-batch/output/model.tar.gz", fixture).weights
        let largest = Self.largestTensorDifference(parallel, reference)
        let overall = Self.relativeDifference(parallel, plain)
        print("mpirun -np 2 vs one rank with the global batch: largest per-tensor relative difference \(largest.value) (\(largest.name))")
        print("mpirun -np 2 vs one process with oneDNN's batch statistics: \(overall) over all weights, per tensor \(Self.largestTensorDifference(parallel, plain))")
        #expect(largest.value <= 1e-5, "\(largest.name)")
        #expect(overall <= 1e-5)
        // …while the step moved the weights far more than that.
        let initial = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: 7, engine: CPUEngine()).weights()
        #expect(Self.relativeDifference(initial, reference) > 1e-4)

        // Rank 0 alone validates, and reports the one process's mAP.
        let mAP = try #require(alone.finalMetrics.first { $0.name == "validation:mAP" }?.value)
        let reported = run.output.split(separator: "\n").compactMap { line in
            line.contains("host=algo-1, epoch=0, validation mAP <score>=(") ? line.split(separator: "(").last.flatMap { Double($0.dropLast()) } : nil
        }
        #expect(reported == [mAP], "\(run.output)")
        #expect(!run.output.contains("host=algo-2, epoch=0, validation mAP"))
    }

    @Test("InstanceCount 2 over mpirun -np 2 trains exactly as the same two ranks as threads of one process")
    func mpirunMatchesThreadRanks() throws {
        let fixture = try TestStore()
        // mini_batch_size 2 per rank (as on SageMaker): a global batch of 4, the four training images.
        let threads = try Self.runAsThreads(2, Self.request(name: "threads", miniBatchSize: 2, network: "apiary-mobile"), fixture)
        #expect(threads.ending == .completed)
        let reference = try TrainingJobRunnerTests.artifact("s3://models/output/threads/output/model.tar.gz", fixture).weights

        let run = try Self.mpirun(2, Self.request(name: "two-ranks", miniBatchSize: 2, network: "apiary-mobile"), fixture)
        #expect(run.status == 0, "\(run.output)")
        let parallel = try TrainingJobRunnerTests.artifact("s3://models/output/two-ranks/output/model.tar.gz", fixture).weights
        let difference = Self.relativeDifference(parallel, reference)
        print("mpirun vs thread ranks: relative weight difference \(difference)")
        #expect(difference <= 1e-5)
        // …while training moved the weights far more than that from their initial values.
        let initial = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: 7, engine: CPUEngine()).weights()
        #expect(Self.relativeDifference(initial, reference) > 1e-3)

        // Each rank names itself as SageMaker names hosts; only algo-1 validates.
        #expect(run.output.contains("#quality_metric: host=algo-2, epoch=1, batch=1 train smooth_l1 <loss>="))
        #expect(run.output.contains("#throughput_metric: host=algo-2, train throughput="))
        #expect(run.output.contains("#quality_metric: host=algo-1, epoch=1, validation mAP <score>=("))
        #expect(!run.output.contains("host=algo-2, epoch=1, validation mAP"))
    }

    @Test("a stop one rank alone is asked for stops every rank at the same step; rank 0 uploads the best model so far")
    func stopAgreedByTheRanks() throws {
        let fixture = try TestStore()
        var request = Self.request(name: "stopped", miniBatchSize: 2, network: "apiary-mobile")
        request["HyperParameters"]?["epochs"] = "3"
        // Rank 1 (algo-2) is asked after the first epoch; rank 0, which uploads, never is. A rank left training would
        // wait in the next step's allreduce for ever.
        let outcome = try Self.runAsThreads(2, request, fixture) { rank, epochs in rank == 1 && epochs >= 1 }
        #expect(outcome.ending == .stopped(.userStop))
        #expect(outcome.completedEpochs == 1)
        #expect(outcome.modelArtifacts == S3URI("s3://models/output/stopped/output/model.tar.gz"))
        _ = try TrainingJobRunnerTests.artifact("s3://models/output/stopped/output/model.tar.gz", fixture)
    }

    @Test("ShardedByS3Key: each rank trains on its own half of the train channel; rank 0 alone uploads")
    func shardedChannel() throws {
        let fixture = try TestStore()
        let run = try Self.mpirun(
            2,
            Self.request(name: "sharded", miniBatchSize: 2, distribution: "ShardedByS3Key", network: "apiary-mobile"),
            fixture
        )
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.components(separatedBy: "Training on 2 images, validating on 2; 1 batches of 2 per epoch.").count == 2)
        #expect(run.output.contains("Training on 2 images, validating on 0; 1 batches of 2 per epoch."))
        _ = try TrainingJobRunnerTests.artifact("s3://models/output/sharded/output/model.tar.gz", fixture)
    }

    @Test("a rank that fails on its shard's data ends every rank, and the job, with its reason")
    func failingRankEndsTheJob() throws {
        let fixture = try TestStore()
        // Line 1 of the train manifest (rank 1's shard, algo-2) now names an object that is not an image.
        try fixture.put("not an image", at: "s3://bees/images/broken.jpg")
        let lines = try String(decoding: fixture.store.get(S3URI("s3://bees/manifests/train.manifest")!), as: UTF8.self).split(separator: "\n")
        let broken = lines[1].replacingOccurrences(of: #"s3://bees/images/[^"]*"#, with: "s3://bees/images/broken.jpg", options: .regularExpression)
        try fixture.put(
            ([String(lines[0]), broken] + lines[2...].map(String.init)).joined(separator: "\n") + "\n",
            at: "s3://bees/manifests/train.manifest"
        )
        let request = Self.request(name: "broken", miniBatchSize: 2, distribution: "ShardedByS3Key", network: "apiary-mobile")
        let run = try Self.mpirun(2, request, fixture)
        #expect(run.status != 0)
        #expect(run.output.contains("error: algo-2: ClientError: Unable to read image"), "\(run.output)")
        #expect(throws: (any Error).self) { try fixture.store.get(S3URI("s3://models/output/broken/output/model.tar.gz")!) }
    }

    @Test("a rank that dies mid-training fails the job: mpirun ends the other rank and names the dead one")
    func deadRankFailsTheJob() throws {
        let fixture = try TestStore()
        var request = Self.request(name: "killed", miniBatchSize: 2, network: "apiary-mobile")
        request["HyperParameters"]?["epochs"] = "50"  // still training when its rank dies
        let file = fixture.root.appendingPathComponent("killed.json")
        try Data(request.rendered().utf8).write(to: file)
        let mpirun = Process()
        mpirun.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        mpirun.arguments = [
            "mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "2", Self.ctl, "training-rank",
            "--object-store", fixture.store.root.path, "--request", file.path, "--work-dir", fixture.workDirectory("killed").path,
        ]
        let pipe = Pipe()
        mpirun.standardOutput = pipe
        mpirun.standardError = pipe
        try mpirun.run()
        var output = Data()
        while !String(decoding: output, as: UTF8.self).contains("host=algo-2, epoch=0, batch=1 train") {
            let chunk = pipe.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            output += chunk
        }
        // mpirun starts its ranks as its children; Open MPI tells each its rank in the environment.
        let children = try String(contentsOfFile: "/proc/\(mpirun.processIdentifier)/task/\(mpirun.processIdentifier)/children", encoding: .utf8)
        let second = children.split(separator: " ").compactMap { Int32($0) }.first { pid in
            let environment = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))) ?? Data()
            return environment.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == "OMPI_COMM_WORLD_RANK=1" }
        }
        let rank1 = try #require(second, "no rank 1 among mpirun's children \(children): \(String(decoding: output, as: UTF8.self))")
        kill(rank1, SIGKILL)
        output += pipe.fileHandleForReading.readDataToEndOfFile()
        mpirun.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        #expect(mpirun.terminationStatus != 0)
        #expect(text.contains("mpirun noticed that process rank 1 with PID") && text.contains("exited on signal 9 (Killed)"), "\(text.suffix(3000))")
        #expect(throws: (any Error).self) { try fixture.store.get(S3URI("s3://models/output/killed/output/model.tar.gz")!) }
    }
}
