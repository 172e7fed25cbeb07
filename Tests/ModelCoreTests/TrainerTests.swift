import ImageCodec
import ModelCore
import Testing

/// Synthetic "bee-like" data made inside the tests: yellow ellipses with dark stripes on a noisy green field.
enum SyntheticBees {
    static func image(seed: UInt64, size: Int = 300) -> (RGBImage, [GroundTruthBox]) {
        var random = SeededGenerator(seed: seed)
        var image = RGBImage(width: size, height: size)
        for y in 0..<size {
            for x in 0..<size {
                let noise = UInt8(random.nextUniform() * 40)
                image[x, y] = (40 + noise, 110 + noise, 40 + noise / 2)
            }
        }
        var boxes: [GroundTruthBox] = []
        for _ in 0..<(1 + Int(random.next() % 2)) {
            let w = 40 + Int(random.nextUniform() * 80)
            let h = w * 2 / 3
            let left = Int(random.nextUniform() * Float(size - w))
            let top = Int(random.nextUniform() * Float(size - h))
            for y in top..<(top + h) {
                for x in left..<(left + w) {
                    let dx = (Float(x - left) + 0.5) / Float(w) * 2 - 1
                    let dy = (Float(y - top) + 0.5) / Float(h) * 2 - 1
                    guard dx * dx + dy * dy <= 1 else { continue }
                    image[x, y] = (x - left) / max(1, w / 6) % 2 == 0 ? (235, 190, 30) : (30, 25, 20)
                }
            }
            boxes.append(GroundTruthBox(classID: 0, box: BoundingBox(x: Float(left), y: Float(top), width: Float(w), height: Float(h))))
        }
        return (image, boxes)
    }

    static func records(_ count: Int, seed: UInt64) -> [TrainingRecord] {
        (0..<count).map { i in
            let (image, boxes) = image(seed: seed &+ UInt64(i))
            return TrainingRecord(identifier: "synthetic-\(i).png", boxes: boxes) { image }
        }
    }
}

@Suite("Training: overfitting, resuming, bad data")
struct TrainerTests {
    static func hyperparameters(_ extra: [String: String] = [:]) throws -> ObjectDetectionHyperparameters {
        try ObjectDetectionHyperparameters(
            [
                "num_classes": "1", "num_training_samples": "4", "base_network": "apiary-mobile", "mini_batch_size": "2", "epochs": "2",
                "optimizer": "adam", "learning_rate": "0.001",
            ].merging(extra) { $1 }
        )
    }

    @Test("the multibox loss goes to near zero when overfitting one small batch")
    func overfitOneBatch() throws {
        let engine = try CPUEngine()
        let network = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: 4, engine: engine)
        let anchors = network.defaultBoxes(imageShape: 300)
        let assigner = TargetAssigner(anchors: anchors)
        let batch = ImageBatchAssembler(imageSize: 300).assemble([SyntheticBees.image(seed: 1), SyntheticBees.image(seed: 2)])
        let targets = batch.boxes.map { assigner($0) }
        let images = try Tensor(plain: batch.pixels, dims: [2, 3, 300, 300], engine: engine)
        var optimizer = Adam()
        var losses: [Double] = []
        for _ in 0..<60 {
            let (locations, logits) = try network.forward(images, mode: .training)
            let loss = MultiBoxLoss()(locations: locations, classLogits: logits, targets: targets)
            losses.append(loss.total)
            try network.backward(locationGradient: loss.locationGradient, classGradient: loss.classLogitGradient)
            optimizer.step(network.parameters, learningRate: 0.003)
        }
        #expect(losses.last! < 0.1 * losses.first!, "loss went from \(losses.first!) to \(losses.last!)")
    }

    /// A short real training run on generated bee-like images (striped yellow ellipses on a noisy green field):
    /// 32 training and 8 validation images, apiary-mobile at 300², 8 epochs of adam. Untrained, mAP is ~0; the
    /// assertion is a floor well under what the run reaches (0.795 at epoch 6 when written), not a tight bound.
    @Test("a short training run on generated bee-like images reaches validation mAP 0.5")
    func shortRunLearns() throws {
        let trainer = try ObjectDetectionTrainer(
            hyperparameters: Self.hyperparameters(["epochs": "8", "mini_batch_size": "8", "num_training_samples": "32"]),
            training: SyntheticBees.records(32, seed: 1_000),
            validation: SyntheticBees.records(8, seed: 2_000),
            seed: 3,
            engine: CPUEngine()
        )
        var history: [Double] = []
        let outcome = try trainer.fit { event in
            if case .epochEnd(let summary, _) = event { history.append(summary.validationMAP) }
        }
        print("validation mAP by epoch: \(history)")
        #expect((outcome.bestMAP ?? 0) >= 0.5, "validation mAP by epoch: \(history)")
    }

    @Test("a run resumed from an epoch checkpoint ends with the same weights as an uninterrupted one")
    func resumeIsBitForBit() throws {
        let data = SyntheticBees.records(4, seed: 100)
        let validation = SyntheticBees.records(2, seed: 200)
        let straight = try ObjectDetectionTrainer(
            hyperparameters: Self.hyperparameters(),
            training: data,
            validation: validation,
            seed: 9,
            engine: CPUEngine()
        )
        let uninterrupted = try straight.fit { _ in }

        var checkpoint: TrainingCheckpoint?
        let first = try ObjectDetectionTrainer(
            hyperparameters: Self.hyperparameters(),
            training: data,
            validation: validation,
            seed: 9,
            engine: CPUEngine()
        )
        let stopped = try first.fit { event in
            if case .epochEnd(_, let saved) = event {
                checkpoint = saved
                throw TrainingStop()
            }
        }
        #expect(stopped.wasStopped && stopped.completedEpochs == 1)
        let second = try ObjectDetectionTrainer(
            hyperparameters: Self.hyperparameters(),
            training: data,
            validation: validation,
            seed: 9,
            engine: CPUEngine()
        )
        let resumed = try second.fit(resumingFrom: #require(checkpoint)) { _ in }
        #expect(resumed.completedEpochs == 2)
        #expect(second.network.weights() == straight.network.weights())
        #expect(resumed.bestWeights == uninterrupted.bestWeights)
    }

    @Test("training logs the algorithm's metric lines in SageMaker's shapes")
    func logLines() throws {
        var lines: [String] = []
        let trainer = try ObjectDetectionTrainer(
            hyperparameters: Self.hyperparameters(["epochs": "1"]),
            training: SyntheticBees.records(4, seed: 1),
            validation: SyntheticBees.records(2, seed: 2),
            seed: 1,
            engine: CPUEngine()
        )
        _ = try trainer.fit { event in if case .log(let line) = event { lines.append(line) } }
        let mAPLine = try #require(lines.first { $0.contains("validation mAP") })
        #expect(mAPLine.hasPrefix("#quality_metric: host=algo-1, epoch=0, validation mAP <score>=(") && mAPLine.hasSuffix(")"))
        #expect(Double(mAPLine.split(separator: "(")[1].dropLast()) != nil)
        #expect(lines.contains { $0.hasPrefix("#quality_metric: host=algo-1, epoch=0, batch=2 train cross_entropy <loss>=") })
        #expect(lines.contains { $0.hasPrefix("#quality_metric: host=algo-1, epoch=0, batch=2 train smooth_l1 <loss>=") })
        #expect(lines.contains { $0.hasPrefix("#throughput_metric: host=algo-1, train throughput=") && $0.hasSuffix(" records/second") })
        #expect(lines.contains("#progress_metric: host=algo-1, completed 100 % of epochs"))
        let split = try #require(lines.first { $0.hasPrefix("Epoch 0 time split: training ") })
        for phase in ["waiting for input", "forward", "targets", "loss", "backward", "optimizer", "validation", "checkpoint"] {
            #expect(split.contains("\(phase) "), "\(phase) missing from \(split)")
        }
    }

    @Test("preparing batches ahead on the loader thread or before each step trains the same weights")
    func prefetchDoesNotChangeTraining() throws {
        let data = SyntheticBees.records(4, seed: 300)
        let validation = SyntheticBees.records(2, seed: 400)
        func run(prefetching: Bool) throws -> (ObjectDetectionTrainer, TrainingOutcome) {
            let trainer = try ObjectDetectionTrainer(
                hyperparameters: Self.hyperparameters(),
                training: data,
                validation: validation,
                seed: 11,
                engine: CPUEngine()
            )
            trainer.prefetchesInput = prefetching
            return (trainer, try trainer.fit { _ in })
        }
        let (ahead, aheadOutcome) = try run(prefetching: true)
        let (inline, inlineOutcome) = try run(prefetching: false)
        #expect(ahead.network.weights() == inline.network.weights())
        #expect(aheadOutcome.bestWeights == inlineOutcome.bestWeights)
        #expect(aheadOutcome.bestMAP == inlineOutcome.bestMAP)
    }

    @Test("bad records fail with a ClientError naming the record")
    func badData() throws {
        let engine = try CPUEngine()
        var data = SyntheticBees.records(3, seed: 5)
        data[1] = TrainingRecord(identifier: "s3://bees/broken.jpg", boxes: []) { try ImageDecoder.decode(Array("not an image".utf8)) }
        let broken = try ObjectDetectionTrainer(
            hyperparameters: Self.hyperparameters(["epochs": "1"]),
            training: data,
            validation: [],
            seed: 1,
            engine: engine
        )
        let error = #expect(throws: TrainingClientError.self) { try broken.fit { _ in } }
        #expect(error?.description.hasPrefix("ClientError: Unable to read image 's3://bees/broken.jpg': not a JPEG or PNG file") == true)

        var outside = SyntheticBees.records(2, seed: 5)
        outside[0].boxes = [GroundTruthBox(classID: 0, box: BoundingBox(x: 250, y: 10, width: 80, height: 20))]
        let trainer = try ObjectDetectionTrainer(
            hyperparameters: Self.hyperparameters(["epochs": "1"]),
            training: outside,
            validation: [],
            seed: 1,
            engine: engine
        )
        let boxError = #expect(throws: TrainingClientError.self) { try trainer.fit { _ in } }
        #expect(boxError?.reason.contains("synthetic-0.png' (300×300) has a box outside the image") == true)

        var wrongClass = SyntheticBees.records(2, seed: 5)
        wrongClass[1].boxes[0].classID = 3
        let classTrainer = try ObjectDetectionTrainer(
            hyperparameters: Self.hyperparameters(["epochs": "1"]),
            training: wrongClass,
            validation: [],
            seed: 1,
            engine: engine
        )
        let classError = #expect(throws: TrainingClientError.self) { try classTrainer.fit { _ in } }
        #expect(classError?.reason.contains("has class_id 3, but num_classes is 1") == true)

        let empty = #expect(throws: TrainingClientError.self) {
            try ObjectDetectionTrainer(hyperparameters: Self.hyperparameters(), training: [], validation: [], seed: 1, engine: engine)
        }
        #expect(empty?.reason.hasPrefix("Got empty batch from pipe.") == true)
    }
}
