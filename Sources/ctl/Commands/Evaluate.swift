import AWSProtocol
import ArgumentParser
import Foundation
import ImageCodec
import LabelStore
import ModelCore

/// `ctl evaluate ENDPOINT MANIFEST`: send a labeled manifest's images to an endpoint and score its detections
/// against the labels — the mAP the algorithm reports as `validation:mAP`, on data it never saw.
struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score an endpoint on a labeled manifest: mAP (VOC07 11-point at IoU 0.5, all-point, COCO), per image.",
        discussion: """
            Each image of the Ground Truth manifest (source-refs relative to the manifest, or local paths) is sent \
            to the endpoint; its detections are matched with the labeled boxes as the algorithm's validation does. \
            Prints per-class AP, the precision and recall at the score threshold with the best F1 with its false \
            positives and false negatives, and writes the precision–recall curve as a PNG (--pr-curve). With \
            --draw-dir, each image is written as a PNG with its detections (class and score) and labels drawn. \
            --json prints all of it.

            Examples:
              ctl evaluate bees bees/test.manifest
              ctl evaluate bees bees/test.manifest --draw-dir predictions --min-score 0.3 \\
                  --max-detections 20
            """)
    @Argument(help: "The endpoint's name.") var endpoint: String
    @Argument(help: "A Ground Truth manifest with the images' boxes (output.manifest).") var manifest: String
    @Option(help: "The manifest's label attribute (default: the only one there is).") var labelAttributeName: String?
    @Option(help: "IoU at which a detection matches a labeled box.") var iou = MeanAveragePrecision.defaultIoUThreshold
    @Option(help: "Detections drawn with --draw-dir score at least this (mAP uses them all).") var minScore = 0.2
    @Option(help: "Drawn detections: at most this many per image, best first.") var maxDetections = 100
    @Option(help: "Write each image with its detections and labels drawn to this folder, as PNG.") var drawDir: String?
    @Option(help: "Where to write the precision–recall curve (default: <draw-dir>/pr-curve.png, else ./<endpoint>-pr-curve.png).") var prCurve: String?
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard iou > 0, iou < 1 else { throw ValidationError("--iou must be within (0, 1)") }
        guard (0...1).contains(minScore) else { throw ValidationError("--min-score must be within 0…1") }
        guard maxDetections >= 1 else { throw ValidationError("--max-detections must be at least 1") }
    }

    func run() async throws {
        try InputFiles.requireReadable(manifest, "manifest")
        let set = try InputFiles.read { try LabelStore.readLabels(.manifest, from: URL(fileURLWithPath: manifest), labelAttributeName: labelAttributeName) }
        guard !set.items.isEmpty else { throw CLIError("\(manifest) has no labeled image to evaluate on", exitCode: 65) }
        if let drawDir { try FileManager.default.createDirectory(atPath: drawDir, withIntermediateDirectories: true) }
        let client = try options.client()
        var metric = MeanAveragePrecision()
        var rows: [[String]] = []
        var perImage: [JSONValue] = []
        var drawnAny: [PredictedBox] = []
        for (index, item) in set.items.enumerated() {
            let bytes = try InputFiles.read { try LocalImageFiles.load(item.reference) }
            let type = (ImageFormat.sniff(bytes) ?? .jpeg).contentType
            let answer = try JSONValue.parse(try await client.invoke(endpoint: endpoint, body: bytes, contentType: type).body)
            let predictions = PredictedBox.rows(of: answer, minScore: 0)
            let (w, h) = (Double(item.width ?? 1), Double(item.height ?? 1))
            metric.add(
                detections: predictions.map { p in
                    Detection(classID: p.classId, score: Float(p.score), box: BoundingBox(xmin: Float(p.xmin), ymin: Float(p.ymin), xmax: Float(p.xmax), ymax: Float(p.ymax)))
                },
                groundTruth: item.boxes.map { b in
                    GroundTruthBox(classID: b.classId, box: BoundingBox(x: Float(b.left / w), y: Float(b.top / h), width: Float(b.width / w), height: Float(b.height / h)))
                },
                imageID: index
            )
            let shown = Array(predictions.filter { $0.score >= minScore }.prefix(maxDetections))
            rows.append([item.fileName, String(item.boxes.count), String(shown.count), shown.first.map { String(format: "%.3f", $0.score) } ?? "-"])
            perImage.append(["image": .string(item.fileName), "labeled": .int(item.boxes.count), "detections": .int(shown.count)])
            if let drawDir {
                let truth = item.boxes.map { BoxDrawing.Box(left: $0.left, top: $0.top, width: $0.width, height: $0.height) }
                let name = (item.fileName as NSString).deletingPathExtension.replacingOccurrences(of: "/", with: "_") + ".png"
                try Data(try DetectionDrawing.png(of: bytes, predictions: shown, truth: truth, classNames: set.categories)).write(
                    to: URL(fileURLWithPath: drawDir).appendingPathComponent(name))
                drawnAny += shown
            }
        }
        let (voc07, allPoint, coco) = (metric.voc07(iou: iou), metric.vocAllPoint(iou: iou), metric.coco())
        let curves = metric.precisionRecallCurves(iou: iou)
        let chartPath = prCurve ?? drawDir.map { "\($0)/pr-curve.png" } ?? "\(endpoint)-pr-curve.png"
        let report = EvaluationReport(curves: curves, voc07: voc07, allPoint: allPoint, classNames: set.categories)
        try Data(try PNGCodec.encode(report.chart(title: "\(endpoint) on \((manifest as NSString).lastPathComponent), IoU \(iou)"))).write(
            to: URL(fileURLWithPath: chartPath))
        if options.json {
            return JSONOutput.print([
                "images": .int(set.items.count), "iou": .double(iou), "mAP": .double(voc07.mean), "mAPAllPoint": .double(allPoint.mean),
                "cocoMAP": .double(coco.averaged.mean), "classes": .array(report.classesJSON), "prCurve": .string(chartPath),
                "perImage": .array(perImage),
            ])
        }
        print(TextTable(headers: ["IMAGE", "LABELED", "DETECTED (≥ \(minScore))", "TOP SCORE"], rows: rows).render())
        print()
        print(TextTable(headers: ["CLASS", "AP (VOC07)", "AP (ALL-POINT)", "BEST-F1 SCORE", "PRECISION", "RECALL", "F1", "TP", "FP", "FN"], rows: report.classRows).render())
        print(String(format: "\nmAP on %d images (IoU %.2f): %.3f VOC07 11-point (the algorithm's validation:mAP), %.3f all-point; COCO mAP@[.5:.95] %.3f",
                     set.items.count, iou, voc07.mean, allPoint.mean, coco.averaged.mean))
        print("precision–recall curve: \(chartPath)")
        if let drawDir { print("drew every image into \(drawDir)/ (\(DetectionDrawing.legend(drawnAny, truth: true)))") }
    }
}
