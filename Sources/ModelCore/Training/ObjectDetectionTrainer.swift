import Dispatch

/// The built-in Object Detection algorithm's training loop: SSD on the chosen base network, trained with the
/// multibox loss, evaluated every epoch by validation mAP, the best epoch kept.
///
/// Emits events to one callback between batches (log lines, batch and epoch figures, a checkpoint after every
/// epoch); a callback throwing `TrainingStop` ends training cleanly. Runs on the caller's thread, which should
/// be a dedicated one (oneDNN's OpenMP workers inherit its priority). Knows nothing of HTTP or SQLite.
///
/// One rank of a data-parallel job (`DataParallelTraining`) trains on its part of each global batch and sums the
/// gradients with the other ranks every step; only rank 0 validates, and its mAP is every rank's.
public final class ObjectDetectionTrainer {
    public let hyperparameters: ObjectDetectionHyperparameters
    /// The schedule and weight averaging this job trains with.
    public let recipe: TrainingRecipe
    public let network: SSDNetwork
    public let anchors: DefaultBoxes
    private let engine: CPUEngine
    private let training: BatchSource
    private let validation: BatchSource?
    private let assigner: TargetAssigner
    private let loss: MultiBoxLoss
    private let decoder: DetectionDecoder
    private var optimizer: any Optimizer
    private var average: WeightAverage?
    private let frozen: [String]
    private let parallel: DataParallelTraining
    /// Whether batch `k + 1` is prepared (decoded, augmented, resized) on an idle-priority loader thread while
    /// batch `k` trains (`Prefetcher`); off, each batch is prepared before its step, on every core. The batches,
    /// and so the weights, are the same either way.
    public var prefetchesInput = true

    /// Builds the network and checks the data's shape.
    /// - Parameters:
    ///   - training: the `train` channel's records.
    ///   - validation: the `validation` channel's records (none: no mAP, the last epoch is kept).
    ///   - seed: seeds initialisation, data order and augmentation.
    ///   - recipe: how to train beyond the hyperparameters; `nil` takes the network's own (`TrainingRecipe(_:)`).
    ///   - parallel: this process's rank in a data-parallel job; `training` is then the rank's records (all of
    ///     them when replicated, its shard when sharded), and `validation` is read by rank 0 only.
    /// - Throws: `TrainingClientError` for empty data or more boxes than `label_width` allows; the reducer's
    ///   error when the ranks cannot agree on the anchors or the epoch's length.
    public init(
        hyperparameters: ObjectDetectionHyperparameters,
        training: [TrainingRecord],
        validation: [TrainingRecord],
        seed: UInt64,
        engine: CPUEngine,
        recipe: TrainingRecipe? = nil,
        parallel: DataParallelTraining = .singleProcess
    ) throws {
        guard !training.isEmpty else {
            throw TrainingClientError(
                "Got empty batch from pipe. Please check if the manifest file contains valid batches and the value of training job "
                    + "parameter AttributeNames matches attributes names in the augmented manifest."
            )
        }
        for record in training + validation {
            do {
                try hyperparameters.validateLabelWidth(objectsInImage: record.boxes.count)
            } catch {
                throw TrainingClientError("Image '\(record.identifier)' has \(record.boxes.count) boxes: \(error)")
            }
        }
        self.hyperparameters = hyperparameters
        self.recipe = recipe ?? TrainingRecipe(hyperparameters)
        self.engine = engine
        self.parallel = parallel
        let sharded = parallel.reducer.size > 1 && parallel.trainingData == .sharded
        var anchorSizes = self.recipe.fitsAnchors ? try Self.fittedAnchorSizes(training, base: hyperparameters.baseNetwork.rawValue) : nil
        // Shards fit different anchors: every rank takes rank 0's, so that all build the same network.
        if sharded, self.recipe.fitsAnchors {
            anchorSizes = try Self.agreed(anchorSizes, base: hyperparameters.baseNetwork.rawValue, parallel.reducer)
        }
        network = try SSDNetwork(
            baseNetwork: hyperparameters.baseNetwork.rawValue,
            classes: hyperparameters.numClasses,
            seed: seed,
            engine: engine,
            anchorSizes: anchorSizes
        )
        // Batch norm over the global batch, so that the ranks train as one process would.
        if parallel.synchronizesBatchNorm { network.synchronizeBatchNorm(over: parallel.reducer) }
        anchors = network.defaultBoxes(imageShape: hyperparameters.imageShape)
        var assigner = TargetAssigner(anchors: anchors, overlapThreshold: Float(hyperparameters.overlapThreshold))
        assigner.extraPositives = self.recipe.extraPositives
        self.assigner = assigner
        decoder = DetectionDecoder(anchors: anchors, nmsThreshold: Float(hyperparameters.nmsThreshold), topK: hyperparameters.nmsTopK)
        optimizer = hyperparameters.makeOptimizer()
        if let focal = self.recipe.focal {
            loss = MultiBoxLoss(focal: focal)
            network.head.startClassesAtPrior(backgroundBias: FocalLoss.backgroundPriorBias(classes: hyperparameters.numClasses))
        } else {
            loss = MultiBoxLoss()
        }
        frozen = hyperparameters.freezeLayerPattern.freeze(network.parameters)
        let size = hyperparameters.imageShape
        let batchSize = hyperparameters.miniBatchSize
        let source = BatchSource(
            records: training,
            batchSize: batchSize,
            assembler: ImageBatchAssembler(imageSize: size, augmentation: self.recipe.augmentation),
            // Rank 0 shuffles and augments as one process would; other shards draw their own streams.
            seed: sharded && !parallel.isLeader ? SeededGenerator(seed: seed).derived(UInt64(parallel.reducer.rank)).state : seed,
            shuffles: true,
            classCount: hyperparameters.numClasses
        )
        self.training = try Self.rankSource(source, parallel: parallel)
        self.validation =
            validation.isEmpty || !parallel.isLeader
            ? nil
            : BatchSource(
                records: validation,
                batchSize: batchSize,
                assembler: ImageBatchAssembler(imageSize: size),
                seed: seed,
                shuffles: false,
                classCount: hyperparameters.numClasses
            )
    }

    /// This rank's batches: a slice of each global batch over replicated records, or the whole shard with as many
    /// batches an epoch as the largest shard needs.
    private static func rankSource(_ source: BatchSource, parallel: DataParallelTraining) throws -> BatchSource {
        let reducer = parallel.reducer
        guard reducer.size > 1 else { return source }
        guard parallel.trainingData == .sharded else { return source.slice(rank: reducer.rank, of: reducer.size) }
        var counts = [Double](repeating: 0, count: reducer.size)
        counts[reducer.rank] = Double(source.batchesPerEpoch)
        var sharded = source
        sharded.batchesPerEpoch = Int(try reducer.sum(counts).max() ?? 0)
        return sharded
    }

    /// Rank 0's fitted anchor sizes (or its `nil`), on every rank.
    private static func agreed(_ sizes: [[Float]]?, base: String, _ reducer: any GradientReducer) throws -> [[Float]]? {
        guard let layout = BackboneArchitecture.anchorSizes(of: base) else { return nil }
        let flat = sizes.map { [1] + $0.joined().map(Double.init) } ?? [Double](repeating: 0, count: 1 + layout.joined().count)
        let shared = try reducer.broadcast(flat)
        guard shared[0] == 1 else { return nil }
        var values = shared.dropFirst().map(Float.init)[...]
        return layout.map { map in
            defer { values = values.dropFirst(map.count) }
            return Array(values.prefix(map.count))
        }
    }

    /// Anchor sizes fitted to the boxes of up to 256 training images spread evenly over the channel (decoded here
    /// for their sizes; the quantiles the fit reads settle long before that), or `nil` to keep the defaults.
    private static func fittedAnchorSizes(_ training: [TrainingRecord], base: String) throws -> [[Float]]? {
        guard let layout = BackboneArchitecture.anchorSizes(of: base) else { return nil }
        let step = max(1, training.count / 256)
        var boxes: [BoundingBox] = []
        for record in stride(from: 0, to: training.count, by: step).map({ training[$0] }) where !record.boxes.isEmpty {
            let image = try record.loadImage()
            boxes += BoxMapping.normalized(BoxMapping.clipped(record.boxes, width: image.width, height: image.height), width: image.width, height: image.height)
                .map(\.box)
        }
        return AnchorFitting.sizes(for: boxes, sizesPerMap: layout.map(\.count))
    }

    /// Trains until `epochs`, early stopping, or a `TrainingStop` from `events`.
    /// - Parameter checkpoint: resume after this checkpoint's epoch.
    public func fit(resumingFrom checkpoint: TrainingCheckpoint? = nil, events: (TrainingEvent) throws -> Void) throws -> TrainingOutcome {
        let hp = hyperparameters
        var earlyStopping = hp.makeEarlyStopping()
        var bestWeights = network.weights()
        var firstEpoch = 0
        if let checkpoint {
            try network.load(weights: checkpoint.weights)
            try optimizer.load(state: checkpoint.optimizerState, for: network.parameters)
            earlyStopping = checkpoint.earlyStopping
            bestWeights = checkpoint.bestWeights
            firstEpoch = checkpoint.completedEpochs
        }
        average = recipe.weightAverageDecay.map { decay in
            checkpoint?.weightAverage ?? WeightAverage(state: network.stateTensors, decay: decay)
        }
        try announce(events, resuming: checkpoint != nil)
        var outcome = TrainingOutcome(
            bestWeights: bestWeights,
            bestMAP: earlyStopping.bestMAP,
            bestEpoch: earlyStopping.bestEpoch,
            completedEpochs: firstEpoch
        )
        let prefetcher = Prefetcher<PreparedBatch>()
        defer { prefetcher.cancel() }
        do {
            for epoch in firstEpoch..<hp.epochs {
                var phases = EpochPhases()
                let (smoothL1, crossEntropy, throughput) = try trainEpoch(epoch, prefetcher: prefetcher, phases: &phases, events: events)
                // Rank 0 scores; every rank records its figure, so that early stopping ends all ranks together.
                let mAP = try phases.time(.validation) { try parallel.reducer.broadcast([validate()])[0] }
                let verdict = earlyStopping.record(validationMAP: mAP)
                if verdict.isNewBest { bestWeights = average?.tensors ?? network.weights() }
                let summary = EpochSummary(
                    epoch: epoch,
                    smoothL1: smoothL1,
                    crossEntropy: crossEntropy,
                    validationMAP: mAP,
                    throughput: throughput,
                    learningRate: recipe.schedule.learningRate(epoch: epoch, batch: training.batchesPerEpoch - 1, batchesPerEpoch: training.batchesPerEpoch),
                    isBest: verdict.isNewBest
                )
                try report(summary, events: events)
                outcome = TrainingOutcome(
                    bestWeights: bestWeights,
                    bestMAP: earlyStopping.bestMAP,
                    bestEpoch: earlyStopping.bestEpoch,
                    completedEpochs: epoch + 1,
                    lastEpoch: summary
                )
                let checkpoint = TrainingCheckpoint(
                    completedEpochs: epoch + 1,
                    weights: network.weights(),
                    optimizerState: optimizer.state(),
                    earlyStopping: earlyStopping,
                    bestWeights: bestWeights,
                    weightAverage: average
                )
                try phases.time(.checkpoint) { try events(.epochEnd(summary, checkpoint: checkpoint)) }
                try events(.log(phases.logLine(epoch: epoch)))
                if verdict.shouldStop {
                    try events(
                        .log(
                            "Early stopping criteria met at epoch \(epoch): best validation mAP \(earlyStopping.bestMAP ?? 0) at epoch \(earlyStopping.bestEpoch ?? epoch)."
                        )
                    )
                    outcome.stoppedEarly = true
                    break
                }
            }
        } catch is TrainingStop {
            outcome.wasStopped = true
        }
        return outcome
    }

    /// One epoch over the training data; returns the epoch's mean losses (of the global batches) and this rank's
    /// images per second.
    private func trainEpoch(
        _ epoch: Int,
        prefetcher: Prefetcher<PreparedBatch>,
        phases: inout EpochPhases,
        events: (TrainingEvent) throws -> Void
    ) throws -> (Double, Double, Double) {
        let source = training
        let order = source.order(epoch: epoch)
        let batches = source.batchesPerEpoch
        let size = hyperparameters.imageShape
        let start = DispatchTime.now().uptimeNanoseconds
        var sums = (smoothL1: 0.0, crossEntropy: 0.0)
        // Every batch (at most 100 points an epoch): the lines clients draw live progress from.
        let logEvery = max(1, batches / 100)
        let prepare = { @Sendable (index: Int, concurrently: Bool) in
            try PreparedBatch { try source.batch(epoch: epoch, index: index, order: order, concurrently: concurrently) }
        }
        if prefetchesInput { prefetcher.start { try prepare(0, $0) } }
        for index in 0..<batches {
            let prepared = try phases.time(.input) { try prefetchesInput ? prefetcher.take() : prepare(index, true) }
            let batch = prepared.batch
            phases.add(.loader, nanoseconds: prepared.nanoseconds)
            let learningRate = recipe.schedule.learningRate(epoch: epoch, batch: index, batchesPerEpoch: batches)
            if prefetchesInput, index + 1 < batches { prefetcher.start { try prepare(index + 1, $0) } }
            let images = try phases.time(.input) { try Tensor(plain: batch.pixels, dims: [source.batchSize, 3, size, size], engine: engine) }
            let (locations, logits) = try phases.time(.forward) { try network.forward(images, mode: .training) }
            let targets = phases.time(.targets) { batch.boxes.map { assigner($0) } }
            let (result, globalLoss) = try phases.time(.loss) { try rankLoss(locations: locations, logits: logits, targets: targets) }
            guard (globalLoss.smoothL1 + globalLoss.crossEntropy).isFinite else {
                throw TrainingClientError(
                    "Training diverged at epoch \(epoch), batch \(index): the loss is not finite. Try a smaller learning_rate (now \(learningRate))."
                )
            }
            try phases.time(.backward) {
                try network.backward(locationGradient: result.locationGradient, classGradient: result.classLogitGradient)
                if parallel.reducer.size > 1 { try parallel.reducer.sum(network.parameters.filter { !$0.isFrozen }.map(\.gradient)) }
            }
            phases.time(.optimizer) {
                optimizer.step(network.parameters, learningRate: learningRate)
                average?.update(from: network.stateTensors)
            }
            let otherStart = DispatchTime.now().uptimeNanoseconds
            defer { phases.add(.other, nanoseconds: DispatchTime.now().uptimeNanoseconds - otherStart) }
            sums.smoothL1 += globalLoss.smoothL1
            sums.crossEntropy += globalLoss.crossEntropy
            let done = Double(index + 1)
            try events(
                .batchEnd(
                    epoch: epoch,
                    batch: index + 1,
                    batchesPerEpoch: batches,
                    smoothL1: sums.smoothL1 / done,
                    crossEntropy: sums.crossEntropy / done
                )
            )
            if (index + 1) % logEvery == 0 || index + 1 == batches {
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                let examples = (index + 1) * source.batchSize
                try events(
                    .log(
                        AlgorithmLog.speedometer(
                            epoch: epoch,
                            batches: index + 1,
                            examples: examples,
                            samplesPerSecond: Double(examples) / elapsed,
                            elapsed: elapsed
                        )
                    )
                )
                let host = parallel.host
                try events(
                    .log(AlgorithmLog.trainLoss(epoch: epoch, batch: index + 1, name: "cross_entropy", value: sums.crossEntropy / done, host: host))
                )
                try events(.log(AlgorithmLog.trainLoss(epoch: epoch, batch: index + 1, name: "smooth_l1", value: sums.smoothL1 / done, host: host)))
            }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (sums.smoothL1 / Double(batches), sums.crossEntropy / Double(batches), Double(batches * source.batchSize) / elapsed)
    }

    /// The multibox loss of this rank's part of the global batch, normalised by the global batch's positive
    /// anchors (so the ranks' gradients sum to the global batch's), and the global batch's loss values.
    private func rankLoss(
        locations: [Float],
        logits: [Float],
        targets: [AnchorTargets]
    ) throws -> (MultiBoxLoss.Output, (smoothL1: Double, crossEntropy: Double)) {
        let reducer = parallel.reducer
        guard reducer.size > 1 else {
            let result = loss(locations: locations, classLogits: logits, targets: targets)
            return (result, (result.smoothL1, result.crossEntropy))
        }
        let positives = try reducer.sum([Double(targets.reduce(0) { $0 + $1.positiveCount })])[0]
        let result = loss(locations: locations, classLogits: logits, targets: targets, globalPositives: Int(positives))
        let global = try reducer.sum([result.smoothL1, result.crossEntropy])
        return (result, (global[0], global[1]))
    }

    /// Validation mAP (VOC07 11-point at `overlap_threshold`) of the served weights (the average, when the
    /// recipe keeps one), or 0 without a validation channel.
    ///
    /// Scored on the fused inference graph the endpoint serves (`InferenceNetwork`): the same detections up to
    /// float rounding, from a faster pass.
    private func validate() throws -> Double {
        guard let validation else { return 0 }
        guard let average else { return try validate(InferenceNetwork(fusing: network), on: validation) }
        let raw = network.weights()
        try network.load(weights: average.tensors)
        let served = InferenceNetwork(fusing: network)
        try network.load(weights: raw)
        return try validate(served, on: validation)
    }

    private func validate(_ served: InferenceNetwork, on validation: BatchSource) throws -> Double {
        var metric = MeanAveragePrecision()
        let size = hyperparameters.imageShape
        let order = validation.order(epoch: 0)
        var seen = Set<Int>()
        for index in 0..<validation.batchesPerEpoch {
            let batch = try validation.batch(epoch: 0, index: index, order: order)
            let images = try Tensor(plain: batch.pixels, dims: [validation.batchSize, 3, size, size], engine: engine)
            let (locations, logits) = try served.forward(images)
            for (b, detections) in decoder(locations: locations, classLogits: logits).enumerated() where seen.insert(batch.records[b]).inserted {
                metric.add(detections: detections, groundTruth: batch.boxes[b], imageID: batch.records[b])
            }
        }
        return metric.voc07(iou: hyperparameters.overlapThreshold).mean
    }

    private func announce(_ events: (TrainingEvent) throws -> Void, resuming: Bool) throws {
        let hp = hyperparameters
        if hp.usePretrainedModel {
            try events(
                .log(
                    "use_pretrained_model=1: no ImageNet weights can be downloaded here; training the \(hp.baseNetwork.rawValue) base network from scratch (random initialisation)."
                )
            )
        }
        if !frozen.isEmpty {
            try events(
                .log(
                    "Freezing \(frozen.count) parameters matching freeze_layer_pattern: \(frozen.prefix(8).joined(separator: ", "))\(frozen.count > 8 ? ", …" : "")"
                )
            )
        }
        try events(
            .log(
                "Network \(hp.baseNetwork.rawValue), image_shape \(hp.imageShape): \(anchors.count) default boxes on feature maps \(anchors.featureMaps.map { "\($0.height)x\($0.width)" }.joined(separator: ", "))."
            )
        )
        try events(
            .log(
                "Training on \(training.records.count) images, validating on \(validation?.records.count ?? 0); \(training.batchesPerEpoch) batches of \(training.batchSize) per epoch."
            )
        )
        if resuming { try events(.log("Resuming from checkpoint.")) }
    }

    private func report(_ s: EpochSummary, events: (TrainingEvent) throws -> Void) throws {
        let hp = hyperparameters
        try events(.log(AlgorithmLog.throughput(s.throughput, host: parallel.host)))
        // The other ranks neither validate nor keep the model.
        if parallel.isLeader { try events(.log(AlgorithmLog.validationMAP(epoch: s.epoch, value: s.validationMAP))) }
        try events(.log(AlgorithmLog.progress(percent: (s.epoch + 1) * 100 / hp.epochs, host: parallel.host)))
        if s.isBest, parallel.isLeader {
            try events(.log("Updating the best model with validation-mAP=\(s.validationMAP)"))
            try events(.log("Saved checkpoint to \"/opt/ml/model/model_algo_1-0000.params\""))
        }
    }

    /// The artifact of a training outcome: the best weights, the symbol and every resolved hyperparameter.
    public func artifact(of outcome: TrainingOutcome) -> ModelArtifact {
        ModelArtifact(
            hyperparameters: hyperparameters.resolved(),
            symbol: network.symbol(imageShape: hyperparameters.imageShape),
            weights: outcome.bestWeights
        )
    }
}

/// A batch prepared on the loader thread, with the time that took.
struct PreparedBatch: Sendable {
    let batch: BatchSource.Batch
    let nanoseconds: UInt64

    init(_ prepare: () throws -> BatchSource.Batch) rethrows {
        let start = DispatchTime.now().uptimeNanoseconds
        batch = try prepare()
        nanoseconds = DispatchTime.now().uptimeNanoseconds - start
    }
}

/// How training ended.
public struct TrainingOutcome: Sendable {
    public var bestWeights: [NamedTensor]
    /// Best validation mAP and its epoch; `nil` before the first epoch.
    public var bestMAP: Double?
    public var bestEpoch: Int?
    public var completedEpochs: Int
    public var lastEpoch: EpochSummary? = nil
    public var stoppedEarly = false
    /// A callback asked to stop (StopTrainingJob, MaxRuntimeInSeconds).
    public var wasStopped = false
}
