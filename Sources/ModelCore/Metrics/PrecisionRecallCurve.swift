/// One class's detections ranked by score (all images together), with the precision and recall reached after
/// each — the curve under VOC's AP, and the operating point a person picks a score threshold from.
public struct PrecisionRecallCurve: Sendable, Equatable {
    /// Ground-truth boxes of the class.
    public var positives: Int
    /// Detection scores, best first.
    public var scores: [Double] = []
    /// True positives among the detections up to each.
    public var truePositives: [Int] = []
    public var precision: [Double] = []
    public var recall: [Double] = []

    public init(positives: Int) { self.positives = positives }

    /// Keeping the detections scoring at least `score`: what is found and what is missed.
    public struct OperatingPoint: Sendable, Equatable {
        public var score: Double
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var truePositives: Int
        public var falsePositives: Int
        public var falseNegatives: Int
    }

    /// The operating point after detection `index` of the ranking.
    public func point(at index: Int) -> OperatingPoint {
        let (p, r) = (precision[index], recall[index])
        return OperatingPoint(
            score: scores[index],
            precision: p,
            recall: r,
            f1: p + r > 0 ? 2 * p * r / (p + r) : 0,
            truePositives: truePositives[index],
            falsePositives: index + 1 - truePositives[index],
            falseNegatives: positives - truePositives[index]
        )
    }

    /// The threshold with the best F1 (the highest score on ties); nil without detections.
    public var bestF1: OperatingPoint? {
        scores.indices.map(point(at:)).max { $0.f1 < $1.f1 || $0.f1 == $1.f1 && $0.score < $1.score }
    }
}
