#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// SSD inference: turns the heads' raw outputs into scored, non-overlapping boxes.
///
/// Per image:
/// 1. softmax over the `C + 1` logits of every anchor;
/// 2. decode a candidate anchor's `(dx, dy, dw, dh)` against it (`BoxCoder`) and clip the box to `[0, 1]`, as MXNet's
///    `MultiBoxDetection` does (`clip=True`);
/// 3. for each object class `k` (logit `k + 1`), the anchors whose probability of `k` is `>= scoreThreshold`
///    become candidates, and `NonMaximumSuppression` at `nmsThreshold` runs over them (its `topK` caps each
///    class's ranking before suppression, bounding the quadratic cost on an untrained network; only the capped
///    candidates' boxes are decoded);
/// 4. the survivors of all classes are ranked by descending score (ties: lower class id, then lower anchor
///    index) and the first `topK` are kept.
///
/// Unlike MXNet, which gives each anchor only its best class, an anchor may yield one detection per class
/// (the SSD paper's and torchvision's rule); with one object class, as in the bee course, the two agree.
/// The output never holds background or MXNet's suppressed `-1` rows.
public struct DetectionDecoder: Sendable {
    /// The default boxes, in head order.
    public let anchors: [BoundingBox]
    /// The encoding the location head was trained with.
    public var coder: BoxCoder
    /// SageMaker's `nms_threshold`: a box whose IoU with a better box of its class reaches this is suppressed.
    public var nmsThreshold: Float
    /// SageMaker's `nms_topk`: at most this many detections per image (and per class before suppression);
    /// `0` or less means no cap.
    public var topK: Int
    /// Class probabilities below this are not candidates.
    public var scoreThreshold: Float

    /// Creates a decoder for `anchors`; the defaults are SageMaker's (`nms_threshold` 0.45, `nms_topk` 400) and
    /// MXNet's score threshold 0.01.
    public init(
        anchors: DefaultBoxes,
        nmsThreshold: Float = NonMaximumSuppression.defaultIoUThreshold,
        topK: Int = NonMaximumSuppression.defaultTopK,
        scoreThreshold: Float = NonMaximumSuppression.defaultScoreThreshold,
        coder: BoxCoder = .ssd
    ) {
        self.init(anchors: anchors.boxes, nmsThreshold: nmsThreshold, topK: topK, scoreThreshold: scoreThreshold, coder: coder)
    }

    /// Creates a decoder for `anchors` with a trained model's `nms_threshold` and `nms_topk` (from its
    /// `hyperparams.json`), SageMaker's defaults where they are missing.
    public init(anchors: DefaultBoxes, hyperparameters: [String: String]) {
        self.init(
            anchors: anchors,
            nmsThreshold: hyperparameters["nms_threshold"].flatMap(Float.init) ?? NonMaximumSuppression.defaultIoUThreshold,
            topK: hyperparameters["nms_topk"].flatMap(Int.init) ?? NonMaximumSuppression.defaultTopK
        )
    }

    /// Creates a decoder for an explicit anchor list.
    public init(
        anchors: [BoundingBox],
        nmsThreshold: Float = NonMaximumSuppression.defaultIoUThreshold,
        topK: Int = NonMaximumSuppression.defaultTopK,
        scoreThreshold: Float = NonMaximumSuppression.defaultScoreThreshold,
        coder: BoxCoder = .ssd
    ) {
        self.anchors = anchors
        self.coder = coder
        self.nmsThreshold = nmsThreshold
        self.topK = topK
        self.scoreThreshold = scoreThreshold
    }

    /// The detections of every image of a batch.
    /// - Parameters:
    ///   - locations: `[B, P, 4]` predicted offsets.
    ///   - classLogits: `[B, P, C+1]` class logits (not probabilities), `C + 1 >= 2`.
    /// - Returns: per image, detections with 0-based class ids, normalised clipped corners, highest score first.
    public func callAsFunction(locations: [Float], classLogits: [Float]) -> [[Detection]] {
        let anchorCount = anchors.count
        precondition(anchorCount > 0 && locations.count % (anchorCount * 4) == 0, "locations must be [B, \(anchorCount), 4]")
        let batch = locations.count / (anchorCount * 4)
        precondition(batch > 0 && classLogits.count % (batch * anchorCount) == 0, "classLogits must be [\(batch), \(anchorCount), C+1]")
        let width = classLogits.count / (batch * anchorCount)
        return locations.withUnsafeBufferPointer { locations in
            classLogits.withUnsafeBufferPointer { logits in
                (0..<batch).map { image in
                    decode(
                        locations: UnsafeBufferPointer(rebasing: locations[(image * anchorCount * 4)..<((image + 1) * anchorCount * 4)]),
                        classLogits: UnsafeBufferPointer(rebasing: logits[(image * anchorCount * width)..<((image + 1) * anchorCount * width)])
                    )
                }
            }
        }
    }

    /// The detections of one image from its `[P, 4]` offsets and `[P, C+1]` logits.
    public func decode(locations: UnsafeBufferPointer<Float>, classLogits: UnsafeBufferPointer<Float>) -> [Detection] {
        let anchorCount = anchors.count
        precondition(locations.count == anchorCount * 4, "locations must be [\(anchorCount), 4]")
        let width = classLogits.count / anchorCount
        precondition(width >= 2 && classLogits.count == anchorCount * width, "classLogits must be [\(anchorCount), C+1 >= 2]")

        let probabilities = Self.softmax(classLogits, width: width)
        let suppression = NonMaximumSuppression(iouThreshold: nmsThreshold, topK: topK, scoreThreshold: scoreThreshold)
        var survivors: [(detection: Detection, anchor: Int)] = []
        for classID in 0..<(width - 1) {
            // The class's candidates ranked and capped at top-k here, as suppression would, so that only their
            // boxes are decoded; suppression then keeps this order (ties already broken by anchor index).
            let ranked = ScoreRanking.ranked(count: anchorCount, limit: topK, threshold: scoreThreshold) {
                probabilities[$0 * width + classID + 1]
            }
            let candidates = ranked.map { anchor in
                let offsets = SIMD4(locations[anchor * 4], locations[anchor * 4 + 1], locations[anchor * 4 + 2], locations[anchor * 4 + 3])
                let box = coder.decode(offsets, anchor: anchors[anchor]).clippedToUnitSquare()
                return Detection(classID: classID, score: probabilities[anchor * width + classID + 1], box: box)
            }
            for kept in suppression.keptIndices(candidates) {
                survivors.append((candidates[kept], ranked[kept]))
            }
        }
        survivors.sort { a, b in
            if a.detection.score != b.detection.score { return a.detection.score > b.detection.score }
            if a.detection.classID != b.detection.classID { return a.detection.classID < b.detection.classID }
            return a.anchor < b.anchor
        }
        if topK > 0, survivors.count > topK { survivors.removeLast(survivors.count - topK) }
        return survivors.map(\.detection)
    }

    /// SageMaker's inference rows, `[class_id, score, xmin, ymin, xmax, ymax]` with the class id as a float, in
    /// the order given (the decoder's: highest score first). The endpoint's body is `{"prediction": rows}`.
    public static func predictionRows(_ detections: [Detection]) -> [[Float]] {
        detections.map { [Float($0.classID), $0.score, $0.box.xmin, $0.box.ymin, $0.box.xmax, $0.box.ymax] }
    }

    /// Row-wise softmax of `[n, width]` logits, stabilised by the row maximum.
    static func softmax(_ logits: UnsafeBufferPointer<Float>, width: Int) -> [Float] {
        var probabilities = [Float](repeating: 0, count: logits.count)
        probabilities.withUnsafeMutableBufferPointer { probabilities in
            for row in stride(from: 0, to: logits.count, by: width) {
                var largest = logits[row]
                for c in 1..<width { largest = max(largest, logits[row + c]) }
                var sum: Float = 0
                for c in 0..<width {
                    let value = exp(logits[row + c] - largest)
                    probabilities[row + c] = value
                    sum += value
                }
                for c in 0..<width { probabilities[row + c] /= sum }
            }
        }
        return probabilities
    }
}
