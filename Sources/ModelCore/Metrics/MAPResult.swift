/// Average precision per class and their mean, for one matching rule and one IoU threshold (or one range).
public struct MAPResult: Sendable, Equatable {
    /// AP of every class that has at least one ground-truth box, keyed by class id. A class with ground
    /// truth but no detections scores 0; a class that only appears in detections is absent (it has no recall).
    public var averagePrecisions: [Int: Double]
    /// The mean of `averagePrecisions`; 0 when no class has ground truth.
    public var mean: Double

    /// Creates a result from per-class APs; the mean is computed over them.
    public init(averagePrecisions: [Int: Double]) {
        self.averagePrecisions = averagePrecisions
        let classes = averagePrecisions.keys.sorted()
        mean = classes.isEmpty ? 0 : classes.reduce(0) { $0 + averagePrecisions[$1]! } / Double(classes.count)
    }
}

/// COCO-style detection metrics: AP at each IoU threshold of 0.50:0.05:0.95 and their average.
public struct COCOMAPResult: Sendable, Equatable {
    /// The IoU thresholds, bit-identical to pycocotools' `np.linspace(.5, .95, 10)`.
    public var iouThresholds: [Double]
    /// One result per entry of `iouThresholds`.
    public var perThreshold: [MAPResult]
    /// mAP@[.5:.95]: each class's AP averaged over the thresholds, then averaged over classes
    /// (pycocotools' `stats[0]`).
    public var averaged: MAPResult

    /// AP at IoU 0.5 with 101-point interpolation (pycocotools' `stats[1]`).
    public var ap50: MAPResult { perThreshold[0] }
    /// AP at IoU 0.75 with 101-point interpolation (pycocotools' `stats[2]`).
    public var ap75: MAPResult { perThreshold[5] }

    /// Creates a result from per-threshold APs; `averaged` is computed from them.
    public init(iouThresholds: [Double], perThreshold: [MAPResult]) {
        precondition(iouThresholds.count == perThreshold.count && !perThreshold.isEmpty, "one result per threshold")
        self.iouThresholds = iouThresholds
        self.perThreshold = perThreshold
        var sums: [Int: Double] = [:]
        for result in perThreshold {
            for (classID, ap) in result.averagePrecisions { sums[classID, default: 0] += ap }
        }
        averaged = MAPResult(averagePrecisions: sums.mapValues { $0 / Double(perThreshold.count) })
    }
}
