import Foundation
import ModelCore
import ObjectStore
import Testing

/// A two-instance job's ranks under `mpirun` on a live daemon, when something happens to them (issue 22 item 3): rank 1
/// SIGKILLed mid-training has the ranks started again from rank 0's checkpoint, and the job ends with exactly the
/// weights of an uninterrupted run with the same seed; StopTrainingJob after an epoch ends it Stopped with the best model
/// so far, as a one-instance job.
@Suite("multi-instance jobs against a live daemon: a dead rank, a stop", .serialized)
struct MultiInstanceRecoveryTests {
    /// Creates a job on two instances over the sample bees `CrashRecoveryTests.stageSampleData` staged, seed 7.
    static func createJob(_ daemon: LiveDaemon, name: String, epochs: Int) throws {
        let channels = ["train", "validation"].map { channel -> [String: Any] in
            [
                "ChannelName": channel, "ContentType": "application/x-recordio", "RecordWrapperType": "RecordIO", "InputMode": "Pipe",
                "DataSource": [
                    "S3DataSource": [
                        "S3DataType": "AugmentedManifestFile", "S3Uri": "s3://bees/manifests/\(channel).manifest",
                        "S3DataDistributionType": "FullyReplicated", "AttributeNames": ["source-ref", "bees-500"],
                    ]
                ],
            ]
        }
        let request: [String: Any] = [
            "TrainingJobName": name, "RoleArn": "arn:aws:iam::123456789012:role/ApiarySageMakerRole",
            "AlgorithmSpecification": ["TrainingImage": "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1", "TrainingInputMode": "Pipe"],
            "HyperParameters": [
                "base_network": "apiary-mobile", "num_classes": "1", "num_training_samples": "12", "epochs": String(epochs),
                "mini_batch_size": "2", "optimizer": "adam", "early_stopping": "False",
            ],
            "InputDataConfig": channels, "OutputDataConfig": ["S3OutputPath": "s3://bees/output"],
            "ResourceConfig": ["InstanceType": "ml.p3.2xlarge", "InstanceCount": 2, "VolumeSizeInGB": 50],
            "StoppingCondition": ["MaxRuntimeInSeconds": 3600], "Environment": ["APIARY_SEED": "7"],
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-\(name)-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: request).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try daemon.runClient(
            CtlBinary.url.path, ["training-jobs", "create", "--cli-input-json", "file://\(file.path)", "--endpoint-url", daemon.url])
        #expect(run.status == 0, "\(run.output)")
    }

    /// A daemon with two instance slots whose job `name` has completed its first epoch: rank 0 has written its
    /// checkpoint into the work directory.
    static func daemon(pastTheFirstEpochOf name: String, epochs: Int) throws -> LiveDaemon {
        let daemon = try LiveDaemon(extraArguments: ["--instance-slots", "2"])
        try CrashRecoveryTests.stageSampleData(home: daemon.home)
        try createJob(daemon, name: name, epochs: epochs)
        let checkpoint = daemon.home.appendingPathComponent("jobs/\(name)/checkpoint.apiary")
        let deadline = Date().addingTimeInterval(600)
        while !FileManager.default.fileExists(atPath: checkpoint.path) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(FileManager.default.fileExists(atPath: checkpoint.path), "no checkpoint appeared:\n\(daemon.daemonLog.suffix(3000))")
        return daemon
    }

    /// The process of the job's rank `rank`: a `training-rank` of its work directory that Open MPI told its rank.
    static func rankProcess(_ rank: Int, of name: String, home: URL) -> Int32? {
        let workDirectory = home.appendingPathComponent("jobs/\(name)").path
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        return pids.first { pid in
            let fields = { (file: String) in
                ((try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/\(file)"))) ?? Data()).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            }
            let arguments = fields("cmdline")
            return arguments.contains("training-rank") && arguments.contains(workDirectory) && fields("environ").contains("OMPI_COMM_WORLD_RANK=\(rank)")
        }
    }

    static func statusMessages(_ job: [String: Any]) -> [String] {
        (job["SecondaryStatusTransitions"] as? [[String: Any]] ?? []).compactMap { $0["StatusMessage"] as? String }
    }

    @Test("rank 1 SIGKILLed after the first epoch: the ranks restart from the checkpoint and end with the uninterrupted run's weights")
    func deadRankResumes() throws {
        let daemon = try Self.daemon(pastTheFirstEpochOf: "ranks-interrupted", epochs: 4)
        defer { daemon.terminate() }
        let rank1 = try #require(Self.rankProcess(1, of: "ranks-interrupted", home: daemon.home), "no rank 1:\n\(daemon.daemonLog.suffix(3000))")
        #expect(kill(rank1, SIGKILL) == 0)

        let resumed = try CrashRecoveryTests.waitUntil(daemon, "ranks-interrupted") { ($0["TrainingJobStatus"] as? String) != "InProgress" }
        #expect(resumed["TrainingJobStatus"] as? String == "Completed", "\(resumed)")
        let messages = Self.statusMessages(resumed)
        #expect(
            messages.contains { $0.hasPrefix("algo-2 died; restarting the instances from the checkpoint of epoch ") && $0.hasSuffix("(attempt 2 of 3)") },
            "\(messages)")
        #expect(messages.contains { $0.hasPrefix("Resuming training from the checkpoint of epoch") }, "\(messages)")

        try Self.createJob(daemon, name: "ranks-uninterrupted", epochs: 4)
        let reference = try CrashRecoveryTests.waitUntil(daemon, "ranks-uninterrupted") { ($0["TrainingJobStatus"] as? String) != "InProgress" }
        #expect(reference["TrainingJobStatus"] as? String == "Completed", "\(reference)")
        #expect(!Self.statusMessages(reference).contains { $0.contains("died") })
        try CrashRecoveryTests.expectSameWeights(home: daemon.home, "ranks-interrupted", "ranks-uninterrupted")
    }

    @Test("StopTrainingJob after the first epoch: the ranks stop together and the job ends Stopped with a model that loads")
    func stopAfterAnEpochKeepsTheModel() throws {
        let daemon = try Self.daemon(pastTheFirstEpochOf: "ranks-stopped", epochs: 200)
        defer { daemon.terminate() }
        let stop = try daemon.runClient(CtlBinary.url.path, ["training-jobs", "stop", "ranks-stopped", "--endpoint-url", daemon.url])
        #expect(stop.status == 0, "\(stop.output)")

        let job = try CrashRecoveryTests.waitUntil(daemon, "ranks-stopped") { ($0["TrainingJobStatus"] as? String) != "Stopping" }
        #expect(job["TrainingJobStatus"] as? String == "Stopped", "\(job)")
        let uri = try #require((job["ModelArtifacts"] as? [String: Any])?["S3ModelArtifacts"] as? String)
        let archive = try ObjectStore(root: daemon.home.appendingPathComponent("s3")).get(try #require(S3URI(uri)))
        #expect(!(try ModelArtifact(archive: Array(archive)).weights.isEmpty))
        #expect(Self.rankProcess(0, of: "ranks-stopped", home: daemon.home) == nil)
        #expect(Self.rankProcess(1, of: "ranks-stopped", home: daemon.home) == nil)
    }
}
