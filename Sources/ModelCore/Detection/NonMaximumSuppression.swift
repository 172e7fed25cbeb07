/// Per-class greedy non-maximum suppression, the last step of SSD inference.
///
/// Follows MXNet's `MultiBoxDetection`, on which SageMaker's built-in algorithm is built:
/// 1. candidates scoring below `scoreThreshold` are dropped;
/// 2. the rest are ranked by descending score, ties broken by input index (a stable sort), so the result is
///    deterministic;
/// 3. only the first `topK` ranked candidates are kept (the cap applies *before* suppression, so the output
///    never holds more than `topK` detections and may hold fewer);
/// 4. walking down the ranking, each surviving candidate suppresses every lower-ranked candidate of the same
///    class whose IoU with it is `>= iouThreshold`. Classes never suppress each other.
///
/// The output is in ranking order: descending score, ties by input index.
public struct NonMaximumSuppression: Sendable, Hashable {
    /// SageMaker's `nms_threshold` default.
    public static let defaultIoUThreshold: Float = 0.45
    /// SageMaker's `nms_topk` default.
    public static let defaultTopK = 400
    /// MXNet `MultiBoxDetection`'s default `threshold`: near-zero scores are not worth ranking.
    public static let defaultScoreThreshold: Float = 0.01

    /// Suppress a lower-ranked box of the same class when its IoU with a kept box reaches this value.
    public var iouThreshold: Float
    /// At most this many candidates take part in suppression; `0` or less means no cap.
    public var topK: Int
    /// Candidates with a lower score (or a NaN score) are dropped before ranking.
    public var scoreThreshold: Float

    /// Creates a suppressor; the defaults are SageMaker's.
    public init(
        iouThreshold: Float = defaultIoUThreshold,
        topK: Int = defaultTopK,
        scoreThreshold: Float = defaultScoreThreshold
    ) {
        self.iouThreshold = iouThreshold
        self.topK = topK
        self.scoreThreshold = scoreThreshold
    }

    /// The surviving detections, highest score first.
    public func callAsFunction(_ candidates: [Detection]) -> [Detection] {
        keptIndices(candidates).map { candidates[$0] }
    }

    /// Indices into `candidates` of the survivors, in ranking order (descending score, ties by index).
    public func keptIndices(_ candidates: [Detection]) -> [Int] {
        // Rank once: score pre-filter, descending sort, top-k cap.
        let ranked = ScoreRanking.ranked(count: candidates.count, limit: topK, threshold: scoreThreshold) { candidates[$0].score }
        let count = ranked.count
        guard count > 1 else { return ranked }

        // Positions in the ranking, grouped by class (rank order inside a class), so the quadratic loop only
        // compares boxes that can suppress each other. One class (the bee course) needs no grouping.
        let classes = ranked.map { candidates[$0].classID }
        var byClass = Array(0..<count)
        if classes.contains(where: { $0 != classes[0] }) {
            byClass.sort { a, b in classes[a] != classes[b] ? classes[a] < classes[b] : a < b }
        }
        let boxes = ranked.map { candidates[$0].box }
        let areas = boxes.map(\.area)
        var suppressed = [Bool](repeating: false, count: count)

        // Greedy suppression inside each class run; no allocation below this line until the output.
        var runStart = 0
        while runStart < count {
            let classID = classes[byClass[runStart]]
            var runEnd = runStart + 1
            while runEnd < count, classes[byClass[runEnd]] == classID { runEnd += 1 }
            for i in runStart..<runEnd {
                let keeper = byClass[i]
                if suppressed[keeper] { continue }
                for j in (i + 1)..<runEnd {
                    let other = byClass[j]
                    if suppressed[other] { continue }
                    let iou = Self.iou(boxes[keeper], areas[keeper], boxes[other], areas[other])
                    if iou >= iouThreshold { suppressed[other] = true }
                }
            }
            runStart = runEnd
        }

        var kept: [Int] = []
        kept.reserveCapacity(count)
        for position in 0..<count where !suppressed[position] {
            kept.append(ranked[position])
        }
        return kept
    }

    /// `BoundingBox.intersectionOverUnion` with the areas precomputed.
    @inline(__always)
    private static func iou(_ a: BoundingBox, _ areaA: Float, _ b: BoundingBox, _ areaB: Float) -> Float {
        let width = min(a.xmax, b.xmax) - max(a.xmin, b.xmin)
        let height = min(a.ymax, b.ymax) - max(a.ymin, b.ymin)
        guard width > 0, height > 0 else { return 0 }
        let intersection = width * height
        let union = areaA + areaB - intersection
        return union > 0 ? intersection / union : 0
    }
}
