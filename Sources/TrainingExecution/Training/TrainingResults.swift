import Foundation
import ImageCodec
import ModelCore

/// A training job's epochs as a person reads them: `results.csv` (one row per epoch) and `results.png` (loss and
/// mAP curves), written next to the model under `<S3OutputPath>/<job>/output/` — SageMaker leaves only the log
/// for this; Apiary adds the table and the picture the Ultralytics CLI users expect.
public struct TrainingResults: Sendable, Equatable {
    /// One finished epoch.
    public struct Row: Codable, Sendable, Equatable {
        /// 1-based, as people count.
        public var epoch: Int
        public var crossEntropy: Double
        public var smoothL1: Double
        public var validationMAP: Double
        public var learningRate: Double
        public var imagesPerSecond: Double
        /// Wall time of the epoch, validation included.
        public var seconds: Double

        public init(_ summary: EpochSummary, seconds: Double) {
            epoch = summary.epoch + 1
            crossEntropy = summary.crossEntropy
            smoothL1 = summary.smoothL1
            validationMAP = summary.validationMAP
            learningRate = Double(summary.learningRate)
            imagesPerSecond = summary.throughput
            self.seconds = seconds
        }
    }

    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    public static let csvHeader = "epoch,train_cross_entropy,train_smooth_l1,validation_mAP,learning_rate,images_per_second,seconds"

    public var csv: String {
        ([Self.csvHeader]
            + rows.map { row in
                "\(row.epoch),\(row.crossEntropy),\(row.smoothL1),\(row.validationMAP),\(row.learningRate),"
                    + String(format: "%.2f,%.2f", row.imagesPerSecond, row.seconds)
            }).joined(separator: "\n") + "\n"
    }

    /// The loss curves (cls = cross-entropy, box = smooth L1) and the validation mAP curve, side by side.
    public func chart(job: String) -> RGBImage {
        let epochs = rows.map { Double($0.epoch) }
        // Half an epoch of margin, so the first and last markers are whole.
        let xRange = (epochs.first ?? 1) - 0.5...(epochs.last ?? 1) + 0.5
        let markers = rows.count <= 30 ? 3.5 : 0
        var losses = LineChart(
            title: "\(job): training loss",
            xLabel: "epoch",
            yLabel: "loss",
            series: [
                .init(
                    name: "cls (cross-entropy)",
                    points: rows.map { (Double($0.epoch), $0.crossEntropy) },
                    color: LineChart.palette[0],
                    markerRadius: markers
                ),
                .init(
                    name: "box (smooth L1)",
                    points: rows.map { (Double($0.epoch), $0.smoothL1) },
                    color: LineChart.palette[1],
                    markerRadius: markers
                ),
            ],
            xRange: xRange
        )
        let best = rows.max { $0.validationMAP < $1.validationMAP }
        var map = LineChart(
            title: "\(job): validation mAP",
            xLabel: "epoch",
            yLabel: "mAP (VOC07, IoU 0.5)",
            series: [
                .init(
                    name: "validation mAP",
                    points: rows.map { (Double($0.epoch), $0.validationMAP) },
                    color: LineChart.palette[2],
                    markerRadius: markers
                )
            ],
            xRange: xRange,
            yRange: 0...max(0.1, (rows.map(\.validationMAP).max() ?? 0) * 1.1).rounded(toMultipleOf: 0.1)
        )
        if let best {
            map.series.append(
                .init(
                    name: String(format: "best %.3f (epoch %d)", best.validationMAP, best.epoch),
                    points: [(Double(best.epoch), best.validationMAP)],
                    color: LineChart.palette[1],
                    lineWidth: 0,
                    markerRadius: 6
                )
            )
        }
        losses.integerX = true
        map.integerX = true
        return LineChart.sideBySide([losses.render(width: 760, height: 500), map.render(width: 760, height: 500)])
    }

    /// Where the results go: the folder of the model artifact (`…/<job>/output/`).
    static func folder(of modelArtifacts: String) -> String {
        let trimmed = modelArtifacts.hasSuffix("/") ? String(modelArtifacts.dropLast()) : modelArtifacts
        return String(trimmed[...trimmed.lastIndex(of: "/")!])
    }
}

extension Double {
    /// Rounded up to a multiple of `step`.
    fileprivate func rounded(toMultipleOf step: Double) -> Double { (self / step).rounded(.up) * step }
}
