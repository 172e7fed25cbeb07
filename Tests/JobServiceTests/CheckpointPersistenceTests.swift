import Foundation
import ModelCore
import ObjectStore
import Testing

@testable import JobService
@testable import TrainingExecution

@Suite("Checkpoints: the file format, the work directory and the object store's copy")
struct CheckpointPersistenceTests {
    /// A checkpoint with every part filled: a real network's weights (batch norm statistics included), values
    /// that equality would not tell apart (−0, subnormals), an optimizer state and a mid-run early-stopping state.
    static func checkpoint() throws -> TrainingCheckpoint {
        let network = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: 3, engine: CPUEngine())
        var weights = network.weights()
        weights[0].values[0] = -0.0
        weights[0].values[1] = .leastNonzeroMagnitude
        weights[0].values[2] = -.greatestFiniteMagnitude
        var best = weights
        best[1].values = best[1].values.map { $0 * 0.5 }
        var random = SeededGenerator(seed: 11)
        var optimizerState = [OptimizerState.stepCountKey: OptimizerState.encode(stepCount: 12_345_678)]
        for tensor in weights.prefix(5) {
            optimizerState[tensor.name + ":mean"] = tensor.values.map { _ in random.nextNormal() }
            optimizerState[tensor.name + ":var"] = tensor.values.map { _ in random.nextUniform() }
        }
        var earlyStopping = EarlyStopping(isEnabled: true, minimumEpochs: 3, patience: 2, tolerance: 0.1 + 0.2)
        _ = earlyStopping.record(validationMAP: 1.615789635726003e-05)
        _ = earlyStopping.record(validationMAP: 0.1 + 0.7)
        _ = earlyStopping.record(validationMAP: 0.5)
        return TrainingCheckpoint(
            completedEpochs: 3,
            weights: weights,
            optimizerState: optimizerState,
            earlyStopping: earlyStopping,
            bestWeights: best,
            weightAverage: WeightAverage(decay: 0.999, updates: 1_234, tensors: weights.map { tensor in
                NamedTensor(name: tensor.name, dims: tensor.dims, values: tensor.values.map { $0 * 0.75 })
            })
        )
    }

    @Test("a version-1 checkpoint (no weight average) still loads")
    func versionOne() throws {
        var original = try Self.checkpoint()
        original.weightAverage = nil
        let bytes = try CheckpointFile.encode(original)
        // Version 1 is version 2 without the average's three trailing fields (u32 decay, u64 updates, empty section).
        let trailer = 4 + 8 + 8 + ParameterFile.encode([]).count
        let version1 = Array("APIARYC1".utf8) + bytes.dropFirst(8).dropLast(trailer)
        #expect(try CheckpointFile.decode(version1) == original)
    }

    @Test("a checkpoint survives the file format bit for bit")
    func roundTrip() throws {
        let original = try Self.checkpoint()
        let bytes = try CheckpointFile.encode(original)
        let decoded = try CheckpointFile.decode(bytes)
        #expect(decoded == original)
        // Equality treats −0 and 0 alike; the bytes do not.
        #expect(try CheckpointFile.encode(decoded) == bytes)
        #expect(decoded.weights[0].values[0].sign == .minus)
        #expect(decoded.earlyStopping.bestMAP == 0.1 + 0.7 && decoded.earlyStopping.epochsWithoutImprovement == 1)
    }

    @Test("damaged checkpoint files are rejected with the reason")
    func damaged() throws {
        let bytes = try CheckpointFile.encode(Self.checkpoint())
        #expect(throws: ArtifactError("not an Apiary checkpoint file (bad magic)")) {
            try CheckpointFile.decode(Array("APIARYW1".utf8) + bytes.dropFirst(8))
        }
        for length in [4, 20, bytes.count / 2, bytes.count - 1] {
            let error = #expect(throws: ArtifactError.self) { try CheckpointFile.decode(Array(bytes.prefix(length))) }
            #expect(error?.reason.contains("truncated") == true, "\(length) bytes: \(error?.reason ?? "")")
        }
        #expect(throws: ArtifactError("checkpoint file has 1 unexpected trailing bytes")) { try CheckpointFile.decode(bytes + [0]) }
    }

    @Test("the work directory saves atomically and loads back exactly; nothing saved loads as nil")
    func workDirectory() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-work-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let work = try TrainingWorkDirectory(url: root.appendingPathComponent("job"))
        #expect(try work.loadCheckpoint() == nil)
        #expect(try work.loadProgress() == nil)

        let checkpoint = try Self.checkpoint()
        let progress = TrainingWorkDirectory.Progress(
            completedEpochs: 3,
            finished: false,
            metrics: [TrainingMetric(name: "validation:mAP", value: 0.5), TrainingMetric(name: "train:smooth_l1", value: .nan)]
        )
        try work.save(checkpoint: CheckpointFile.encode(checkpoint), progress: progress)
        try work.save(checkpoint: CheckpointFile.encode(checkpoint), progress: progress)
        #expect(try work.loadCheckpoint() == checkpoint)
        let loaded = try #require(try work.loadProgress())
        #expect(loaded.completedEpochs == 3 && loaded.metrics[0] == progress.metrics[0] && loaded.metrics[1].value.isNaN)
        // Only the two files: every temporary file was renamed into place.
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.url.path).sorted() == ["checkpoint.apiary", "progress.json"])

        try Data("garbage".utf8).write(to: work.checkpointFile)
        let error = #expect(throws: AlgorithmError.self) { try work.loadCheckpoint() }
        #expect(error?.description.hasPrefix("AlgorithmError: cannot resume from \(work.checkpointFile.path)") == true)
    }

    @Test("the object store's copy: the progress names its checkpoint, the previous one is removed, only its own job restores it")
    func checkpointObjects() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-checkpoints-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = ObjectStore(root: root.appendingPathComponent("s3"))
        try store.ensureBucket("spot")
        let objects = CheckpointObjects(storage: store, prefix: S3URI("s3://spot/run/")!)
        let fresh = try TrainingWorkDirectory(url: root.appendingPathComponent("node-b"))
        #expect(try objects.restore(into: fresh, job: "bees") == nil)

        let original = try Self.checkpoint()
        let checkpoint = try CheckpointFile.encode(original)
        func progress(_ epochs: Int) -> TrainingWorkDirectory.Progress {
            .init(completedEpochs: epochs, finished: false, metrics: [TrainingMetric(name: "validation:mAP", value: 0.25)], job: "bees")
        }
        try objects.save(checkpoint: checkpoint, progress: progress(1))
        try objects.save(checkpoint: checkpoint, progress: progress(2))
        #expect(try store.list(bucket: "spot", prefix: "run/") == ["run/checkpoint-2.apiary", "run/progress.json"])

        // Another job's progress under a reused CheckpointConfig.S3Uri is not resumed.
        #expect(try objects.restore(into: fresh, job: "other-job") == nil)
        #expect(try fresh.loadProgress() == nil)
        #expect(try objects.restore(into: fresh, job: "bees") == 2)
        #expect(try fresh.loadProgress() == progress(2))
        #expect(try fresh.loadCheckpoint() == original)
        // As far along as the store: nothing to copy.
        #expect(try objects.restore(into: fresh, job: "bees") == nil)

        // A progress whose checkpoint is gone restores nothing (and the local copy stays).
        try objects.save(progress(3))
        #expect(try objects.restore(into: fresh, job: "bees") == nil)
        #expect(try fresh.loadProgress()?.completedEpochs == 2)

        // A missing bucket is the runner's to report, before training.
        let gone = CheckpointObjects(storage: store, prefix: S3URI("s3://gone/run/")!)
        #expect(try gone.restore(into: fresh, job: "bees") == nil)
        #expect(throws: TrainingClientError.self) { try gone.checkBucket() }
    }
}
