import Foundation
import ImageCodec
import ModelCore

/// `model-bench train DIR BASE_NETWORK IMAGE_SHAPE BATCH EPOCHS [key=value…]`: trains on a Ground Truth output
/// manifest (`DIR/output.manifest`, label attribute `bees-500`, images relative to DIR) with an 80/20 split,
/// printing the algorithm's log, then evaluates the best model on `DIR/test.manifest` if present and writes
/// each test image with its detections (score ≥ 0.3, yellow) and ground truth (green) to `DIR/predictions/`.
///
/// Keys starting with `bench_` are the benchmark's, not hyperparameters: `bench_recipe=faithful` trains
/// `apiary-mobile` as the built-in algorithm trains the others (step schedule, raw weights);
/// `bench_prefetch=0` prepares each batch before its step instead of during the previous one, `bench_prefetch=alternate`
/// switches between the two every epoch (prefetching in even epochs), an A/B within one run;
/// `bench_seconds=N` stops after the first epoch that ends past N seconds; `bench_seed=N` seeds the run;
/// `bench_expand=0` and `bench_crop=0` switch off SSD's zoom-out and zoom-in augmentation; `bench_focal=1`
/// trains the classes with the focal loss instead of hard negative mining; `bench_fit_anchors=0|1` overrides
/// whether anchor sizes are fitted to the training boxes; `bench_extra_positives=K` (with `bench_extra_iou=X`,
/// default 0.3) gives every box up to K more positive anchors of IoU ≥ X, `bench_extra_positives=0` none.
func trainBench(_ arguments: [String]) throws {
    let directory = URL(fileURLWithPath: arguments[0])
    func records(_ manifest: URL) throws -> [TrainingRecord] {
        try TrainingChannel.augmentedManifest(String(contentsOf: manifest, encoding: .utf8), attributeNames: ["source-ref", "bees-500"]) {
            Array(try Data(contentsOf: directory.appendingPathComponent($0)))
        }
    }
    let all = try records(directory.appendingPathComponent("output.manifest"))
    let split = all.count * 8 / 10
    var raw = [
        "num_classes": "1", "num_training_samples": String(split), "base_network": arguments[1], "image_shape": arguments[2],
        "mini_batch_size": arguments[3], "epochs": arguments[4],
    ]
    var bench: [String: String] = [:]
    for pair in arguments.dropFirst(5) {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        if parts[0].hasPrefix("bench_") { bench[parts[0]] = parts[1] } else { raw[parts[0]] = parts[1] }
    }
    let hyperparameters = try ObjectDetectionHyperparameters(raw)
    let engine = try CPUEngine()
    var recipe =
        bench["bench_recipe"] == "faithful"
        ? .builtIn(hyperparameters) : TrainingRecipe(hyperparameters)
    if bench["bench_expand"] == "0" { recipe.augmentation.expand = nil }
    if bench["bench_crop"] == "0" { recipe.augmentation.crop = nil }
    if bench["bench_focal"] == "1" { recipe.focal = FocalLoss() }
    if let fit = bench["bench_fit_anchors"] { recipe.fitsAnchors = fit == "1" }
    if let count = bench["bench_extra_positives"].flatMap({ Int($0) }) {
        recipe.extraPositives = count == 0 ? nil : .init(count: count, minimumIoU: bench["bench_extra_iou"].flatMap { Float($0) } ?? 0.3)
    }
    let trainer = try ObjectDetectionTrainer(
        hyperparameters: hyperparameters,
        training: Array(all[..<split]),
        validation: Array(all[split...]),
        seed: bench["bench_seed"].flatMap { UInt64($0) } ?? 1,
        engine: engine,
        recipe: recipe
    )
    trainer.prefetchesInput = bench["bench_prefetch"] != "0"
    let budget = bench["bench_seconds"].flatMap { Double($0) } ?? .infinity
    let start = Date()
    let outcome = try trainer.fit { event in
        switch event {
        case .log(let message): print(AlgorithmLog.line(message))
        case .epochEnd(let summary, _):
            if bench["bench_prefetch"] == "alternate" { trainer.prefetchesInput = summary.epoch % 2 == 1 }
            let elapsed = Date().timeIntervalSince(start)
            print(#"{"epoch": \#(summary.epoch), "elapsed_s": \#(Int(elapsed)), "validation_map": \#(summary.validationMAP), "learning_rate": \#(summary.learningRate)}"#)
            if elapsed > budget { throw TrainingStop() }
        case .batchEnd: break
        }
    }
    print("trained \(outcome.completedEpochs) epochs in \(Int(Date().timeIntervalSince(start))) s, best validation mAP \(outcome.bestMAP ?? 0)")
    let testManifest = directory.appendingPathComponent("test.manifest")
    guard FileManager.default.fileExists(atPath: testManifest.path) else { return }
    let detector = try ObjectDetector(artifact: trainer.artifact(of: outcome), engine: engine)
    var metric = MeanAveragePrecision()
    let predictions = directory.appendingPathComponent("predictions")
    try FileManager.default.createDirectory(at: predictions, withIntermediateDirectories: true)
    for (i, record) in try records(testManifest).enumerated() {
        let image = try record.loadImage()
        let detections = try detector.detect([image])[0]
        var annotated = image
        let (w, h) = (Double(image.width), Double(image.height))
        let drawn =
            record.boxes.map {
                BoxDrawing.Box(
                    left: Double($0.box.xmin),
                    top: Double($0.box.ymin),
                    width: Double($0.box.width),
                    height: Double($0.box.height),
                    color: (0, 220, 0)
                )
            }
            + detections.filter { $0.score >= 0.3 }.map {
                BoxDrawing.Box(
                    left: Double($0.box.xmin) * w,
                    top: Double($0.box.ymin) * h,
                    width: Double($0.box.width) * w,
                    height: Double($0.box.height) * h,
                    color: (255, 230, 0)
                )
            }
        BoxDrawing.draw(boxes: drawn, on: &annotated, thickness: 2)
        let name = URL(fileURLWithPath: record.identifier).deletingPathExtension().lastPathComponent + ".png"
        try Data(PNGCodec.encode(annotated)).write(to: predictions.appendingPathComponent(name))
        let truth = record.boxes.map {
            GroundTruthBox(classID: $0.classID, box: $0.box.scaled(x: 1 / Float(image.width), y: 1 / Float(image.height)))
        }
        metric.add(detections: detections, groundTruth: truth, imageID: i)
    }
    let coco = metric.coco()
    print(
        "held-out test mAP (VOC07 @0.5): \(metric.voc07(iou: 0.5).mean), COCO AP50 \(coco.ap50.mean), AP50:95 \(coco.averaged.mean); annotated images in \(predictions.path)"
    )
}
