import EndpointRuntime
import Foundation
import ModelCore
import ObjectStore

/// Runs one training job of the built-in Object Detection algorithm to its end, synchronously on the caller's
/// thread (oneDNN's OpenMP workers inherit that thread's priority, so call it from a dedicated, niced worker).
///
/// The run: check the image and the output bucket → `Downloading` (resolve the channels) → `Training` (the
/// configuration lines, the hyperparameters, then epochs, each followed by an atomic checkpoint in
/// `workDirectory` and its copy in the object store, `CheckpointObjects` at `TrainingJobSpec.checkpointURI`) →
/// `Uploading` (the best model to `TrainingJobSpec.modelArtifacts`). A run started on a work directory holding a
/// checkpoint resumes after its epoch and ends exactly as an uninterrupted run with the same seed would (a node
/// that never ran the job first restores the stored copy into it: `CheckpointObjects.restore`). The caller owns
/// the work directory: it keeps it while the job may be restarted and deletes it once the job is terminal. Channels
/// are read through `ObjectStorage.inputCache` in the work directory's `input/` (File mode on a remote store).
///
/// Stopping: `stopRequested` is polled after every batch and every epoch's checkpoint; a non-nil answer ends
/// training there. A stopped run that completed at least one epoch uploads the best model so far (as the
/// real algorithm does in its SIGTERM grace period); one stopped earlier uploads nothing.
///
/// As one rank of a data-parallel job (`ResourceConfig.InstanceCount > 1`, ranks under `mpirun`): the train
/// channel is sharded when its `S3DataDistributionType` is `ShardedByS3Key`; every rank resumes from the work
/// directory's checkpoint, and only rank 0 (`algo-1`) writes checkpoints and uploads the model. Every rank's stop
/// answer is summed over the ranks at each of those points (`agreedStop`), so that all stop at the same step.
public struct TrainingJobRunner {
    public let spec: TrainingJobSpec
    public let store: any ObjectStorage
    /// The job's private directory for checkpoints (created if needed).
    public let workDirectory: URL
    /// This process's rank among the job's instances; a `SingleProcessReducer` for a job on one instance.
    public let reducer: any GradientReducer

    public init(spec: TrainingJobSpec, store: any ObjectStorage, workDirectory: URL, reducer: any GradientReducer = SingleProcessReducer()) {
        self.spec = spec
        self.store = store
        self.workDirectory = workDirectory
        self.reducer = reducer
    }

    /// The rank's data-parallel role: sharded training data when a train channel says `ShardedByS3Key`.
    private var parallel: DataParallelTraining {
        let sharded = spec.channels.contains { $0.name.hasPrefix("train") && $0.distribution == .shardedByS3Key }
        return DataParallelTraining(reducer: reducer, trainingData: sharded ? .sharded : .replicated)
    }

    /// Runs the job; never throws: a failure is an outcome with its `FailureReason` (also logged).
    /// - Parameters:
    ///   - stopRequested: nil to go on, or why to stop.
    ///   - progress: receives every `TrainingProgress` event, on this thread.
    public func run(stopRequested: () -> TrainingStopReason?, progress: (TrainingProgress) -> Void) -> TrainingJobOutcome {
        var state = RunState()
        do {
            return try execute(&state, stopRequested: stopRequested, progress: progress)
        } catch {
            let reason = TrainingFailure.reason(for: error)
            progress(.log(reason))
            return TrainingJobOutcome(
                ending: .failed(failureReason: reason),
                finalMetrics: state.metrics,
                modelArtifacts: nil,
                completedEpochs: state.completedEpochs
            )
        }
    }

    /// What a run has reached, kept for the outcome of a failure.
    private struct RunState {
        var metrics: [TrainingMetric] = []
        var completedEpochs = 0
        var history: [TrainingResults.Row] = []
    }

    private func execute(
        _ state: inout RunState,
        stopRequested: () -> TrainingStopReason?,
        progress: (TrainingProgress) -> Void
    ) throws -> TrainingJobOutcome {
        let image = spec.trainingImage ?? ""
        guard BuiltInAlgorithm.isObjectDetection(image: image) else {
            throw AlgorithmError(
                "unsupported training image '\(image)': Apiary runs only the built-in object detection algorithm "
                    + "(<account>.dkr.ecr.<region>.amazonaws.com/object-detection:<tag>)."
            )
        }
        let upload = ModelArtifactUpload(store: store, destination: spec.modelArtifacts, compression: spec.outputCompression)
        try upload.checkBucket()
        let checkpoints = CheckpointObjects(storage: store, prefix: spec.checkpointURI)
        try checkpoints.checkBucket()

        progress(.secondaryStatus(.downloading, message: "Downloading input data"))
        let input = store.inputCache(in: workDirectory.appendingPathComponent("input", isDirectory: true))
        let data = try ChannelReader(store: input).read(spec.channels)
        let parallel = self.parallel
        let training = parallel.trainingData == .sharded ? parallel.shard(data.training) : data.training

        progress(.secondaryStatus(.training, message: "Training image download completed. Training in progress."))
        let hyperparameters = try configuration(progress)
        let work = try TrainingWorkDirectory(url: workDirectory)
        let trainer = try ObjectDetectionTrainer(
            hyperparameters: hyperparameters,
            training: training,
            validation: data.validation,
            seed: spec.seed,
            engine: CPUEngine(),
            parallel: parallel
        )
        let (bestWeights, stopReason) = try train(trainer, work: work, checkpoints: checkpoints, state: &state, stopRequested: stopRequested, progress: progress)

        let ending: TrainingJobOutcome.Ending = stopReason.map { .stopped($0) } ?? .completed
        guard state.completedEpochs > 0, stopReason != .shutdown, parallel.isLeader else {
            return TrainingJobOutcome(ending: ending, finalMetrics: [], modelArtifacts: nil, completedEpochs: 0)
        }
        progress(.secondaryStatus(.uploading, message: "Uploading generated training model"))
        // The artifact of `ObjectDetectionTrainer.artifact(of:)`, built from the weights so that a restarted
        // upload needs no training outcome.
        let artifact = ModelArtifact(
            hyperparameters: hyperparameters.resolved(),
            symbol: trainer.network.symbol(imageShape: hyperparameters.imageShape),
            weights: bestWeights
        )
        try upload.put(artifact)
        try upload.put(TrainingResults(rows: state.history), job: spec.jobName)
        return TrainingJobOutcome(
            ending: ending,
            finalMetrics: state.metrics,
            modelArtifacts: spec.modelArtifacts,
            completedEpochs: state.completedEpochs
        )
    }

    /// Logs the configuration as the container did and parses the hyperparameters.
    private func configuration(_ progress: (TrainingProgress) -> Void) throws -> ObjectDetectionHyperparameters {
        progress(.log(ObjectDetectionHyperparameters.defaultConfigurationLogMessage))
        progress(.log(ObjectDetectionHyperparameters.providedConfigurationLogMessage(spec.hyperparameters)))
        let hyperparameters = try ObjectDetectionHyperparameters(spec.hyperparameters)
        progress(.log(hyperparameters.finalConfigurationLogMessage))
        for channel in spec.channels {
            let mode = channel.inputMode.rawValue.lowercased()
            progress(.log("The channel '\(channel.name)' is in \(mode) input mode under /opt/ml/input/data/\(channel.name)."))
        }
        return hyperparameters
    }

    /// Trains from the work directory's checkpoint (if any) to the end or a stop, checkpointing every epoch into the
    /// work directory, then into the object store.
    /// Returns the best weights and why training stopped early (nil: it ran to its end).
    private func train(
        _ trainer: ObjectDetectionTrainer,
        work: TrainingWorkDirectory,
        checkpoints: CheckpointObjects,
        state: inout RunState,
        stopRequested: () -> TrainingStopReason?,
        progress: (TrainingProgress) -> Void
    ) throws -> (bestWeights: [NamedTensor], stopReason: TrainingStopReason?) {
        let checkpoint = try work.loadCheckpoint()
        let saved = try work.loadProgress()
        if let checkpoint {
            state.completedEpochs = checkpoint.completedEpochs
            if let saved, saved.completedEpochs == checkpoint.completedEpochs {
                state.metrics = saved.metrics
                state.history = saved.history ?? []
                // Restarted after training had finished (during the upload): upload the saved best model again.
                if saved.finished { return (checkpoint.bestWeights, nil) }
            }
            progress(.resuming(completedEpochs: checkpoint.completedEpochs))
        }
        var stopReason: TrainingStopReason?
        let epochs = trainer.hyperparameters.epochs
        var epochStart = Date()
        let outcome = try trainer.fit(resumingFrom: checkpoint) { event in
            switch event {
            case .log(let line):
                progress(.log(line))
                // fit() takes TrainingStop only between batches, so log events are not stop points.
                return
            case .batchEnd:
                break
            case .epochEnd(let summary, let checkpoint):
                state.metrics = TrainingMetric.metrics(of: summary, epochs: epochs)
                state.completedEpochs = checkpoint.completedEpochs
                state.history.append(TrainingResults.Row(summary, seconds: Date().timeIntervalSince(epochStart)))
                epochStart = Date()
                progress(.epochMetrics(epoch: summary.epoch, metrics: state.metrics))
                if reducer.rank == 0 {
                    let bytes = try CheckpointFile.encode(checkpoint)
                    let epoch = TrainingWorkDirectory.Progress(
                        completedEpochs: checkpoint.completedEpochs, finished: false, metrics: state.metrics, history: state.history, job: spec.jobName)
                    try work.save(checkpoint: bytes, progress: epoch)
                    try checkpoints.save(checkpoint: bytes, progress: epoch)
                    progress(.checkpointSaved(completedEpochs: checkpoint.completedEpochs))
                }
            }
            if let reason = try agreedStop(stopRequested) {
                stopReason = reason
                throw TrainingStop()
            }
        }
        if !outcome.wasStopped, reducer.rank == 0 {
            let finished = TrainingWorkDirectory.Progress(
                completedEpochs: outcome.completedEpochs, finished: true, metrics: state.metrics, history: state.history, job: spec.jobName)
            try work.save(finished)
            try checkpoints.save(finished)
        }
        return (outcome.bestWeights, stopReason)
    }

    /// This rank's stop answer, agreed by every rank of a data-parallel job: one `MPI_Allreduce` of one value, which
    /// every rank makes at the same batch and epoch ends, so a stop any rank was asked for ends all of them at the
    /// same step and none is left waiting in the next step's collectives. A rank that was not asked itself stops
    /// for a user's stop: the ranks are asked only for those (a shutdown ends them instead, `MultiInstanceRun`).
    private func agreedStop(_ stopRequested: () -> TrainingStopReason?) throws -> TrainingStopReason? {
        let reason = stopRequested()
        guard reducer.size > 1 else { return reason }
        let asked: [Double] = [reason == nil ? 0 : 1]
        return try reducer.sum(asked)[0] > 0 ? (reason ?? .userStop) : nil
    }
}
