import AWSProtocol
import Foundation
import ModelCore
import ObjectStore
import Testing

@testable import JobService
@testable import TrainingExecution

/// Real (tiny) training runs: apiary-mobile at 300², four bee images in batches of two, two validation images.
/// Serialized: parallel runs would only compete for the same two cores.
@Suite("TrainingJobRunner: a training job from request to model.tar.gz", .serialized)
struct TrainingJobRunnerTests {
    /// Runs a job to its end, collecting its progress events.
    struct Run {
        var outcome: TrainingJobOutcome
        var events: [TrainingProgress]

        var logLines: [String] { events.compactMap { if case .log(let line) = $0 { line } else { nil } } }
        var statuses: [TrainingSecondaryStatus] {
            events.compactMap { if case .secondaryStatus(let status, _) = $0 { status } else { nil } }
        }
        var checkpoints: [Int] { events.compactMap { if case .checkpointSaved(let epochs) = $0 { epochs } else { nil } } }
        var metricEpochs: [Int] { events.compactMap { if case .epochMetrics(let epoch, _) = $0 { epoch } else { nil } } }
    }

    static func run(
        _ request: JSONValue,
        in fixture: TestStore,
        work: String? = nil,
        stop: @escaping (_ checkpointsSoFar: [Int]) -> TrainingStopReason? = { _ in nil }
    ) throws -> Run {
        let spec = try TrainingJobSpec(request: request)
        let runner = TrainingJobRunner(spec: spec, store: fixture.store, workDirectory: fixture.workDirectory(work ?? spec.jobName))
        var events: [TrainingProgress] = []
        let outcome = runner.run(
            stopRequested: { stop(events.compactMap { if case .checkpointSaved(let epochs) = $0 { epochs } else { nil } }) },
            progress: { events.append($0) }
        )
        return Run(outcome: outcome, events: events)
    }

    static func artifact(_ uri: String, _ fixture: TestStore) throws -> ModelArtifact {
        try ModelArtifact(archive: Array(fixture.store.get(S3URI(uri)!)))
    }

    static func value(_ name: String, _ metrics: [TrainingMetric]) -> Double? { metrics.first { $0.name == name }?.value }

    @Test("a short run completes: statuses, log, per-epoch checkpoints, metrics, a loadable model.tar.gz")
    func completes() throws {
        let fixture = try TestStore()
        let run = try Self.run(beeRequest(name: "bees-1", hyperparameters: ["epochs": "1"]), in: fixture)
        let uri = "s3://models/output/bees-1/output/model.tar.gz"
        #expect(run.outcome.ending == .completed)
        #expect(run.outcome.modelArtifacts?.description == uri)
        #expect(run.outcome.completedEpochs == 1)
        #expect(run.statuses == [.downloading, .training, .uploading])
        #expect(run.events.first == .secondaryStatus(.downloading, message: "Downloading input data"))
        #expect(run.events.contains(.secondaryStatus(.training, message: "Training image download completed. Training in progress.")))
        #expect(run.events.last == .secondaryStatus(.uploading, message: "Uploading generated training model"))
        #expect(run.checkpoints == [1] && run.metricEpochs == [0])
        #expect(run.events.contains { $0.message == "Checkpoint saved after epoch 1" })

        // The notebooks' parsers: the configuration lines, the metric lines.
        #expect(run.logLines.contains { $0.hasPrefix("Final configuration: {") && $0.contains("u'num_training_samples': u'4'") })
        #expect(run.logLines.contains("The channel 'train' is in pipe input mode under /opt/ml/input/data/train."))
        #expect(run.logLines.contains { $0.hasPrefix("#quality_metric: host=algo-1, epoch=0, validation mAP <score>=(") })

        let metrics = run.outcome.finalMetrics
        #expect(metrics.map(\.name) == ["validation:mAP", "train:smooth_l1", "train:cross_entropy", "train:throughput", "train:progress"])
        let mAP = try #require(Self.value("validation:mAP", metrics))
        #expect(mAP >= 0 && mAP <= 1)
        #expect(try #require(Self.value("train:smooth_l1", metrics)) > 0)
        #expect(try #require(Self.value("train:cross_entropy", metrics)) > 0)
        #expect(Self.value("train:progress", metrics) == 100)
        #expect(run.logLines.contains(AlgorithmLog.validationMAP(epoch: 0, value: mAP)))

        let artifact = try Self.artifact(uri, fixture)
        #expect(artifact.hyperparameters["epochs"] == "1" && artifact.hyperparameters["base_network"] == "apiary-mobile")
        #expect(artifact.symbol.baseNetwork == "apiary-mobile" && artifact.symbol.numClasses == 1)
        let checkpoint = try #require(try TrainingWorkDirectory(url: fixture.workDirectory("bees-1")).loadCheckpoint())
        #expect(artifact.weights == checkpoint.bestWeights)

        // Restarted after it finished (say the daemon died during the upload): no more training, the same model.
        try fixture.store.delete(S3URI(uri)!)
        let again = try Self.run(beeRequest(name: "bees-1", hyperparameters: ["epochs": "1"]), in: fixture)
        #expect(again.outcome == run.outcome)
        #expect(again.checkpoints.isEmpty && again.metricEpochs.isEmpty)
        #expect(try Self.artifact(uri, fixture) == artifact)
    }

    @Test("the stop hook ends training between batches; stopped before an epoch completed, nothing is uploaded")
    func stopBeforeFirstEpoch() throws {
        let fixture = try TestStore()
        let run = try Self.run(beeRequest(name: "bees-stop"), in: fixture) { _ in .userStop }
        #expect(run.outcome == TrainingJobOutcome(ending: .stopped(.userStop), finalMetrics: [], modelArtifacts: nil, completedEpochs: 0))
        #expect(run.statuses == [.downloading, .training])
        #expect(run.checkpoints.isEmpty)
        #expect(!fixture.store.exists(S3URI("s3://models/output/bees-stop/output/model.tar.gz")!))
    }

    /// The decisive one: stop a run after its first epoch, resume it with a new runner from the checkpoint file,
    /// and compare with a run never interrupted. Data order and augmentation depend only on (seed, epoch), and
    /// the checkpoint restores weights, batch norm statistics, optimizer and early-stopping state bit for bit,
    /// and oneDNN runs the same primitives on the same shapes in the same process: the weights must be
    /// identical, not merely close.
    @Test("a run stopped after epoch 1 and resumed elsewhere from the object store's checkpoint ends with exactly the uninterrupted run's weights")
    func resumeMatchesUninterrupted() throws {
        let fixture = try TestStore()
        let straight = try Self.run(beeRequest(name: "bees-straight"), in: fixture)
        #expect(straight.outcome.ending == .completed && straight.checkpoints == [1, 2])

        let interrupted = try Self.run(beeRequest(name: "bees-resumed"), in: fixture) { checkpoints in
            checkpoints.isEmpty ? nil : .maxRuntimeExceeded
        }
        #expect(interrupted.outcome.ending == .stopped(.maxRuntimeExceeded))
        #expect(interrupted.outcome.completedEpochs == 1 && interrupted.checkpoints == [1])
        // Stopped after an epoch: the best model so far is uploaded.
        #expect(interrupted.statuses.last == .uploading)
        let resumedURI = "s3://models/output/bees-resumed/output/model.tar.gz"
        #expect(
            try Self.artifact(resumedURI, fixture).weights.count
                == Self.artifact("s3://models/output/bees-straight/output/model.tar.gz", fixture).weights.count
        )

        let afterEpoch1 = try #require(try TrainingWorkDirectory(url: fixture.workDirectory("bees-resumed")).loadCheckpoint())

        // Resumed on another node: a work directory that never saw the job, filled from the object store's copy.
        let stored = CheckpointObjects(storage: fixture.store, prefix: S3URI("s3://models/output/bees-resumed/checkpoints/")!)
        #expect(try fixture.store.list(bucket: "models", prefix: "output/bees-resumed/checkpoints/") == [
            "output/bees-resumed/checkpoints/checkpoint-1.apiary", "output/bees-resumed/checkpoints/progress.json",
        ])
        #expect(try stored.restore(into: TrainingWorkDirectory(url: fixture.workDirectory("bees-elsewhere")), job: "bees-resumed") == 1)
        let resumed = try Self.run(beeRequest(name: "bees-resumed"), in: fixture, work: "bees-elsewhere")
        #expect(resumed.outcome.ending == .completed && resumed.outcome.completedEpochs == 2)
        #expect(resumed.events.contains(.resuming(completedEpochs: 1)))
        #expect(resumed.events.contains { $0.message == "Resuming training from the checkpoint of epoch 1" })
        #expect(resumed.metricEpochs == [1] && resumed.checkpoints == [2])

        // Last weights (the final checkpoint) and best weights (the artifact) are bit-identical.
        let straightLast = try #require(try TrainingWorkDirectory(url: fixture.workDirectory("bees-straight")).loadCheckpoint())
        let resumedLast = try #require(try TrainingWorkDirectory(url: fixture.workDirectory("bees-elsewhere")).loadCheckpoint())
        #expect(resumedLast.weights.map(\.name) == straightLast.weights.map(\.name))
        var largestDifference: Float = 0
        for (a, b) in zip(resumedLast.weights, straightLast.weights) {
            for (x, y) in zip(a.values, b.values) { largestDifference = max(largestDifference, abs(x - y)) }
        }
        #expect(largestDifference == 0, "largest weight difference \(largestDifference)")
        #expect(resumedLast == straightLast)
        // The stored copy followed: epoch 2's checkpoint replaced epoch 1's, and the progress says training finished.
        #expect(try fixture.store.list(bucket: "models", prefix: "output/bees-resumed/checkpoints/") == [
            "output/bees-resumed/checkpoints/checkpoint-2.apiary", "output/bees-resumed/checkpoints/progress.json",
        ])
        #expect(try CheckpointFile.decode(Array(fixture.store.get(stored.checkpointURI(epochs: 2)))) == resumedLast)
        #expect(resumedLast.weights != afterEpoch1.weights, "the second epoch changed nothing: the comparison would be vacuous")
        #expect(
            try Self.artifact(resumedURI, fixture).weights == Self.artifact("s3://models/output/bees-straight/output/model.tar.gz", fixture).weights
        )
        for name in ["validation:mAP", "train:smooth_l1", "train:cross_entropy", "train:progress"] {
            #expect(Self.value(name, resumed.outcome.finalMetrics) == Self.value(name, straight.outcome.finalMetrics), "\(name)")
        }
    }

    @Test("an unreadable image fails the job with a ClientError naming its URI")
    func unreadableImage() throws {
        let fixture = try TestStore()
        try fixture.put("not a JPEG", at: "s3://bees/images/broken.jpg")
        let manifest =
            BeeFixture.trainIndices.map { BeeFixture.manifestLine(sourceRef: BeeFixture.imageURI($0), BeeFixture.samples[$0]) }
            + [BeeFixture.manifestLine(sourceRef: "s3://bees/images/broken.jpg", BeeFixture.samples[0])]
        try fixture.put(manifest.joined(separator: "\n"), at: "s3://bees/manifests/train.manifest")
        let run = try Self.run(beeRequest(name: "bees-broken", hyperparameters: ["mini_batch_size": "5"]), in: fixture)
        let reason = try #require(run.outcome.failureReason)
        #expect(reason.hasPrefix("ClientError: Unable to read image 's3://bees/images/broken.jpg'"), "\(reason)")
        #expect(run.logLines.last == reason)
        #expect(run.outcome.modelArtifacts == nil && run.outcome.completedEpochs == 0)
    }

    @Test("failures before training: the image, the output bucket, the channels, the hyperparameters")
    func failuresBeforeTraining() throws {
        let fixture = try TestStore()
        let image = try Self.run(beeRequest(name: "j1", image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-yolo:3"), in: fixture)
        #expect(
            image.outcome.failureReason?.hasPrefix(
                "AlgorithmError: unsupported training image '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-yolo:3'"
            ) == true
        )
        #expect(image.statuses.isEmpty)

        let bucket = try Self.run(beeRequest(name: "j2", outputPath: "s3://no-such-output/models"), in: fixture)
        #expect(bucket.outcome.failureReason?.hasPrefix("ClientError: The output bucket 'no-such-output'") == true)
        #expect(bucket.statuses.isEmpty)

        var request = beeRequest(name: "j3")
        request["InputDataConfig"] = .array(Array(request["InputDataConfig"]!.arrayValue!.prefix(1)))
        let channels = try Self.run(request, in: fixture)
        #expect(channels.outcome.failureReason?.hasPrefix("ClientError: Missing required channel 'validation'") == true)
        #expect(channels.statuses == [.downloading])

        let hyperparameters = try Self.run(beeRequest(name: "j4", hyperparameters: ["image_shape": "128"]), in: fixture)
        #expect(
            hyperparameters.outcome.failureReason == "ClientError: Invalid value for hyperparameter 'image_shape': '128'. Expected an integer >= 300."
        )
        #expect(hyperparameters.logLines.contains { $0.hasPrefix("Reading provided configuration from") })
        for run in [image, bucket, channels, hyperparameters] {
            #expect(run.outcome.modelArtifacts == nil && run.outcome.finalMetrics.isEmpty)
        }
    }

    @Test("CompressionType NONE writes the artifact's three files under output/model/; a vanished bucket is a ClientError")
    func uncompressedUpload() throws {
        let fixture = try TestStore()
        let network = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: 5, engine: CPUEngine())
        let artifact = ModelArtifact(hyperparameters: ["num_classes": "1"], symbol: network.symbol(imageShape: 300), weights: network.weights())
        let prefix = S3URI("s3://models/output/j/output/model/")!
        try ModelArtifactUpload(store: fixture.store, destination: prefix, compression: .none).put(artifact)
        let files = [ModelArtifact.hyperparametersFile, ModelArtifact.weightsFile, ModelArtifact.symbolFile]
        #expect(try fixture.store.list(bucket: "models", prefix: prefix.key) == files.map { prefix.key + $0 })
        #expect(try ParameterFile.decode(Array(fixture.store.get(prefix.appending(ModelArtifact.weightsFile)))) == network.weights())
        #expect(try JSONValue.parse(fixture.store.get(prefix.appending(ModelArtifact.hyperparametersFile))) == ["num_classes": "1"])

        let gone = ModelArtifactUpload(store: fixture.store, destination: S3URI("s3://gone-bucket/j/output/model.tar.gz")!, compression: .gzip)
        expectClientError("The output bucket 'gone-bucket'") { try gone.put(artifact) }
        expectClientError("The output bucket 'gone-bucket'") { try gone.checkBucket() }
    }

    @Test("FailureReason: ClientError or AlgorithmError, at most 1,024 characters")
    func failureReasons() {
        let long = TrainingFailure.reason(for: TrainingClientError(String(repeating: "x", count: 5000)))
        #expect(long.count == 1024 && long.hasPrefix("ClientError: xxx") && long.hasSuffix("…"))
        #expect(
            TrainingFailure.reason(for: HyperparameterError.missing(name: "num_classes"))
                == "ClientError: Missing required hyperparameter: 'num_classes'"
        )
        #expect(TrainingFailure.reason(for: ArtifactError("disk full")) == "AlgorithmError: disk full")
        #expect(TrainingFailure.reason(for: AlgorithmError("no engine")) == "AlgorithmError: no engine")
    }
}
