import ModelCore

/// One value of a metric the algorithm reports (object-detection.md §5.1): what the metric definitions'
/// regexes extract from the log, for `FinalMetricDataList` and the metric history.
public struct TrainingMetric: Sendable, Equatable, Codable {
    /// e.g. `validation:mAP`.
    public var name: String
    public var value: Double

    public init(name: String, value: Double) {
        self.name = name
        self.value = value
    }

    /// `validation:mAP`, the objective of tuning jobs (maximise).
    public static let validationMAP = "validation:mAP"
    public static let trainSmoothL1 = "train:smooth_l1"
    public static let trainCrossEntropy = "train:cross_entropy"
    public static let trainThroughput = "train:throughput"
    public static let trainProgress = "train:progress"

    /// The built-in algorithm's metric definitions as SageMaker describes them (object-detection.md §5.1): the
    /// regex whose first group extracts each metric's value from the algorithm's log lines (`AlgorithmLog`).
    public static let definitions: [(name: String, regex: String)] = [
        (trainProgress, #"#progress_metric: host=\S+, completed (\S+) %"#),
        (trainSmoothL1, #"#quality_metric: host=\S+, epoch=\S+, batch=\S+ train smooth_l1 <loss>=(\S+)"#),
        (trainCrossEntropy, #"#quality_metric: host=\S+, epoch=\S+, batch=\S+ train cross_entropy <loss>=(\S+)"#),
        (trainThroughput, #"#throughput_metric: host=\S+, train throughput=(\S+) records/second"#),
        (validationMAP, #"#quality_metric: host=\S+, epoch=\S+, validation mAP <score>=\((\S+)\)"#),
    ]

    /// The metrics after an epoch, in this order: `validation:mAP`, `train:smooth_l1`, `train:cross_entropy`
    /// (the epoch's mean losses, which the epoch's last loss lines print), `train:throughput` (images per
    /// second), `train:progress` (percent of `epochs` done, as the progress line prints it).
    static func metrics(of summary: EpochSummary, epochs: Int) -> [TrainingMetric] {
        [
            TrainingMetric(name: validationMAP, value: summary.validationMAP),
            TrainingMetric(name: trainSmoothL1, value: summary.smoothL1),
            TrainingMetric(name: trainCrossEntropy, value: summary.crossEntropy),
            TrainingMetric(name: trainThroughput, value: summary.throughput),
            TrainingMetric(name: trainProgress, value: Double((summary.epoch + 1) * 100 / epochs)),
        ]
    }
}
