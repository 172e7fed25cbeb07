/// Pascal VOC average precision for one class, after py-faster-rcnn's `voc_eval` and `voc_ap`
/// (`lib/datasets/voc_eval.py`, Ross Girshick), with two deliberate differences: IoU has no "+1 pixel"
/// term, and a match needs IoU `>=` the threshold (the VOC devkit's `VOCevaldet.m` and GluonCV use `>=`;
/// py-faster-rcnn uses `>`).
enum VOCAveragePrecision {
    /// How the precision/recall curve is turned into one number.
    enum Interpolation {
        /// VOC2007: mean of the best precision at recall ≥ 0, 0.1, …, 1.0.
        case elevenPoint
        /// VOC2010+: the area under the monotone precision envelope.
        case allPoint
    }

    /// AP of one class over its slices (one per image, in image order).
    ///
    /// Detections of all images are ranked together by descending score (ties: image order, then the order
    /// added). Each detection is compared with every ground-truth box of its class in its image; the best
    /// (first on ties) decides: a true positive if IoU ≥ `iouThreshold` and that box is not yet matched,
    /// otherwise a false positive. Returns `nil` when the class has no ground truth.
    static func averagePrecision(_ slices: [ClassSlice], iouThreshold: Double, interpolation: Interpolation) -> Double? {
        guard let curve = curve(slices, iouThreshold: iouThreshold) else { return nil }
        switch interpolation {
        case .elevenPoint: return elevenPoint(recall: curve.recall, precision: curve.precision)
        case .allPoint: return allPoint(recall: curve.recall, precision: curve.precision)
        }
    }

    /// The ranking and matching `averagePrecision` describes, as the precision and recall after each detection.
    /// Returns `nil` when the class has no ground truth.
    static func curve(_ slices: [ClassSlice], iouThreshold: Double) -> PrecisionRecallCurve? {
        let positives = slices.reduce(0) { $0 + $1.groundTruth.count }
        guard positives > 0 else { return nil }

        var ranking: [(slice: Int, detection: Int)] = []
        for (sliceIndex, slice) in slices.enumerated() {
            for detection in slice.detectionScores.indices { ranking.append((sliceIndex, detection)) }
        }
        ranking.sort { a, b in
            let scoreA = slices[a.slice].detectionScores[a.detection]
            let scoreB = slices[b.slice].detectionScores[b.detection]
            if scoreA != scoreB { return scoreA > scoreB }
            return a.slice != b.slice ? a.slice < b.slice : a.detection < b.detection
        }

        var matched = slices.map { [Bool](repeating: false, count: $0.groundTruth.count) }
        var curve = PrecisionRecallCurve(positives: positives)
        curve.recall.reserveCapacity(ranking.count)
        curve.precision.reserveCapacity(ranking.count)
        var truePositives = 0.0
        var falsePositives = 0.0
        for (sliceIndex, detectionIndex) in ranking {
            let box = slices[sliceIndex].detectionBoxes[detectionIndex]
            var best = -Double.infinity
            var bestIndex = -1
            for (index, truth) in slices[sliceIndex].groundTruth.enumerated() {
                let iou = evaluationIoU(box, truth)
                if iou > best {
                    best = iou
                    bestIndex = index
                }
            }
            if bestIndex >= 0, best >= iouThreshold, !matched[sliceIndex][bestIndex] {
                matched[sliceIndex][bestIndex] = true
                truePositives += 1
            } else {
                falsePositives += 1
            }
            curve.scores.append(Double(slices[sliceIndex].detectionScores[detectionIndex]))
            curve.truePositives.append(Int(truePositives))
            curve.recall.append(truePositives / Double(positives))
            curve.precision.append(truePositives / max(truePositives + falsePositives, Double.ulpOfOne))
        }
        return curve
    }

    /// VOC2007's recall points, bit for bit as `np.arange(0., 1.1, 0.1)` makes them: `i * 0.1`, so
    /// 0.30000000000000004 rather than 0.3 (a recall of exactly 0.3 does not reach that point).
    static let elevenRecallPoints: [Double] = (0...10).map { Double($0) * 0.1 }

    /// `voc_ap(use_07_metric=True)`: the best precision at recall ≥ each point, summed as `ap += p / 11`.
    static func elevenPoint(recall: [Double], precision: [Double]) -> Double {
        var ap = 0.0
        for threshold in elevenRecallPoints {
            var best = 0.0
            for (r, p) in zip(recall, precision) where r >= threshold { best = max(best, p) }
            ap += best / 11
        }
        return ap
    }

    /// `voc_ap(use_07_metric=False)`: sentinels (0, 0) and (1, 0), the precision envelope made monotone from
    /// the right, then Σ Δrecall · precision wherever recall changes.
    static func allPoint(recall: [Double], precision: [Double]) -> Double {
        let steps = [0] + recall + [1]
        var envelope = [0] + precision + [0]
        for i in stride(from: envelope.count - 1, to: 0, by: -1) {
            envelope[i - 1] = max(envelope[i - 1], envelope[i])
        }
        var ap = 0.0
        for i in 0..<(steps.count - 1) where steps[i + 1] != steps[i] {
            ap += (steps[i + 1] - steps[i]) * envelope[i + 1]
        }
        return ap
    }
}
