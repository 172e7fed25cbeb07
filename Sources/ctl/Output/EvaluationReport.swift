import AWSProtocol
import Foundation
import ImageCodec
import ModelCore

/// What `ctl evaluate` reports per class beyond mAP: AP, the best-F1 operating point with its false positives and
/// negatives, and the precision–recall curves as a chart.
struct EvaluationReport {
    let curves: [Int: PrecisionRecallCurve]
    let voc07: MAPResult
    let allPoint: MAPResult
    let classNames: [String]

    private var classes: [Int] { curves.keys.sorted() }

    func name(_ classID: Int) -> String { classNames.indices.contains(classID) ? classNames[classID] : "class \(classID)" }

    /// One table row per class with ground truth.
    var classRows: [[String]] {
        classes.map { id in
            let best = curves[id]!.bestF1
            return [
                name(id), String(format: "%.3f", voc07.averagePrecisions[id] ?? 0), String(format: "%.3f", allPoint.averagePrecisions[id] ?? 0),
                best.map { String(format: "%.3f", $0.score) } ?? "-", best.map { String(format: "%.3f", $0.precision) } ?? "-",
                best.map { String(format: "%.3f", $0.recall) } ?? "-", best.map { String(format: "%.3f", $0.f1) } ?? "-",
                String(best?.truePositives ?? 0), String(best?.falsePositives ?? 0), String(best?.falseNegatives ?? curves[id]!.positives),
            ]
        }
    }

    var classesJSON: [JSONValue] {
        classes.map { id in
            let curve = curves[id]!
            var entry: JSONValue = [
                "classId": .int(id), "name": .string(name(id)), "groundTruth": .int(curve.positives), "detections": .int(curve.scores.count),
                "ap": .double(voc07.averagePrecisions[id] ?? 0), "apAllPoint": .double(allPoint.averagePrecisions[id] ?? 0),
                "curve": [
                    "score": .array(curve.scores.map(JSONValue.double)), "precision": .array(curve.precision.map(JSONValue.double)),
                    "recall": .array(curve.recall.map(JSONValue.double)),
                ],
            ]
            if let best = curve.bestF1 {
                entry["bestF1"] = [
                    "score": .double(best.score), "precision": .double(best.precision), "recall": .double(best.recall), "f1": .double(best.f1),
                    "truePositives": .int(best.truePositives), "falsePositives": .int(best.falsePositives),
                    "falseNegatives": .int(best.falseNegatives),
                ]
            }
            return entry
        }
    }

    /// Precision against recall for each class, its best-F1 point marked.
    func chart(title: String) -> RGBImage {
        var series: [LineChart.Series] = []
        for (index, id) in classes.enumerated() {
            let curve = curves[id]!
            let color = LineChart.palette[index % LineChart.palette.count]
            // The curve starts at recall 0 with the first detection's precision, as PR plots do.
            let points = [(0.0, curve.precision.first ?? 1)] + zip(curve.recall, curve.precision).map { ($0, $1) }
            series.append(.init(name: String(format: "%@ (AP %.3f)", name(id), voc07.averagePrecisions[id] ?? 0), points: points, color: color))
            if let best = curve.bestF1 {
                series.append(
                    .init(
                        name: String(format: "best F1 %.2f at score %.2f", best.f1, best.score),
                        points: [(best.recall, best.precision)],
                        color: color,
                        lineWidth: 0,
                        markerRadius: 6
                    )
                )
            }
        }
        return LineChart(title: title, xLabel: "recall", yLabel: "precision", series: series, xRange: 0...1, yRange: 0...1.05).render(
            width: 800,
            height: 600
        )
    }
}
