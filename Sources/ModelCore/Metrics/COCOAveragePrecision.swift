/// COCO average precision for one class, after pycocotools' `COCOeval` (`evaluateImg` and `accumulate`) for
/// `iouType="bbox"`, area range "all" and `maxDets=100`, with no crowd or ignored boxes.
enum COCOAveragePrecision {
    /// `np.linspace(.5, .95, 10)`, bit for bit: `i * step + start`, the last value set to the stop
    /// (so the ninth is 0.8999999999999999, not 0.9).
    static let iouThresholds: [Double] = linspace(0.5, 0.95, count: 10)
    /// `np.linspace(.0, 1.00, 101)`, bit for bit (so 0.35000000000000003, not 0.35).
    static let recallThresholds: [Double] = linspace(0, 1, count: 101)
    /// Detections kept per image and class, highest score first (`maxDets[-1]`).
    static let maxDetections = 100

    /// numpy's `linspace` with an endpoint: `i * ((stop - start) / (count - 1)) + start`, then `stop` last.
    static func linspace(_ start: Double, _ stop: Double, count: Int) -> [Double] {
        let step: Double = (stop - start) / Double(count - 1)
        var values: [Double] = (0..<count).map { (i: Int) -> Double in Double(i) * step + start }
        values[count - 1] = stop
        return values
    }

    /// AP of one class at each of `iouThresholds`, or `nil` when the class has no ground truth.
    ///
    /// Per image, detections are taken by descending score (stable) and each is matched to the unmatched
    /// ground-truth box with the highest IoU ≥ the threshold (the later box on an IoU tie, as pycocotools'
    /// `<` test does). Then detections of all images are ranked by score (ties: image order, then per-image
    /// rank), precision is made monotone, and sampled at 101 recall points with a left `searchsorted`.
    static func averagePrecisions(_ slices: [ClassSlice]) -> [Double]? {
        let positives = slices.reduce(0) { $0 + $1.groundTruth.count }
        guard positives > 0 else { return nil }

        // Per-image matching; `matches[t]` holds one flag per detection, in per-image rank order, images
        // concatenated in order, exactly as `accumulate` concatenates `dtMatches`.
        var scores: [Float] = []
        var matches = [[Bool]](repeating: [], count: iouThresholds.count)
        for slice in slices {
            let order = slice.detectionsByScore.prefix(maxDetections)
            let truths = slice.groundTruth
            let ious = order.map { detection in truths.map { evaluationIoU(slice.detectionBoxes[detection], $0) } }
            scores.append(contentsOf: order.map { slice.detectionScores[$0] })
            for (t, threshold) in iouThresholds.enumerated() {
                var truthMatched = [Bool](repeating: false, count: truths.count)
                for row in ious {
                    var best = min(threshold, 1 - 1e-10)
                    var match = -1
                    for (g, iou) in row.enumerated() where !truthMatched[g] && !(iou < best) {
                        best = iou
                        match = g
                    }
                    if match >= 0 { truthMatched[match] = true }
                    matches[t].append(match >= 0)
                }
            }
        }

        let ranking = scores.indices.sorted { a, b in scores[a] != scores[b] ? scores[a] > scores[b] : a < b }
        return matches.map { flags in
            averagePrecision(ranked: ranking.map { flags[$0] }, positives: positives)
        }
    }

    /// The 101-point interpolated AP of one ranked list of true/false positives.
    static func averagePrecision(ranked isTruePositive: [Bool], positives: Int) -> Double {
        var recall: [Double] = []
        var precision: [Double] = []
        recall.reserveCapacity(isTruePositive.count)
        precision.reserveCapacity(isTruePositive.count)
        var truePositives = 0.0
        var falsePositives = 0.0
        for hit in isTruePositive {
            if hit { truePositives += 1 } else { falsePositives += 1 }
            recall.append(truePositives / Double(positives))
            // `np.spacing(1)` guards the division, and shifts the value by ~1e-16, as in pycocotools.
            precision.append(truePositives / (falsePositives + truePositives + Double.ulpOfOne))
        }
        for i in stride(from: precision.count - 1, to: 0, by: -1) where precision[i] > precision[i - 1] {
            precision[i - 1] = precision[i]
        }
        // `np.searchsorted(rc, recThrs, side="left")`: the first rank whose recall reaches the point; points
        // past the last rank contribute 0.
        var sum = 0.0
        var rank = 0
        for point in recallThresholds {
            while rank < recall.count, recall[rank] < point { rank += 1 }
            guard rank < recall.count else { break }
            sum += precision[rank]
        }
        return sum / Double(recallThresholds.count)
    }
}
