/// One image's boxes of one class, the unit both VOC and COCO matching work on.
///
/// Detections keep the order they were added in; ties in score are broken by that order.
struct ClassSlice: Sendable {
    var detectionScores: [Float] = []
    var detectionBoxes: [BoundingBox] = []
    var groundTruth: [BoundingBox] = []
}

extension ClassSlice {
    /// Groups images (already in evaluation order) by class: for each class, the slices of the images that
    /// hold a detection or a ground-truth box of it, in image order.
    static func group(_ images: [(detections: [Detection], groundTruth: [GroundTruthBox])]) -> [Int: [ClassSlice]] {
        var byClass: [Int: [ClassSlice]] = [:]
        for image in images {
            var slices: [Int: ClassSlice] = [:]
            for detection in image.detections {
                slices[detection.classID, default: ClassSlice()].detectionScores.append(detection.score)
                slices[detection.classID, default: ClassSlice()].detectionBoxes.append(detection.box)
            }
            for truth in image.groundTruth {
                slices[truth.classID, default: ClassSlice()].groundTruth.append(truth.box)
            }
            for (classID, slice) in slices {
                byClass[classID, default: []].append(slice)
            }
        }
        return byClass
    }

    /// Detection positions sorted by descending score, ties by position (a stable sort, as numpy's mergesort).
    var detectionsByScore: [Int] {
        detectionScores.indices.sorted { a, b in
            detectionScores[a] != detectionScores[b] ? detectionScores[a] > detectionScores[b] : a < b
        }
    }
}

/// IoU in double precision, for evaluation.
///
/// Float coordinates convert to Double exactly, and for boxes on a coarse grid (whole or quarter pixels) every
/// step below is exact but the final division, so the value is bit-identical to pycocotools' `bbIou` and to
/// the numpy VOC code in `scripts/gen_map_fixtures.py`; a match exactly at a threshold is decided the same way.
/// No "+1 pixel" convention.
func evaluationIoU(_ a: BoundingBox, _ b: BoundingBox) -> Double {
    let width = min(Double(a.xmax), Double(b.xmax)) - max(Double(a.xmin), Double(b.xmin))
    let height = min(Double(a.ymax), Double(b.ymax)) - max(Double(a.ymin), Double(b.ymin))
    guard width > 0, height > 0 else { return 0 }
    let intersection = width * height
    let areaA = (Double(a.xmax) - Double(a.xmin)) * (Double(a.ymax) - Double(a.ymin))
    let areaB = (Double(b.xmax) - Double(b.xmin)) * (Double(b.ymax) - Double(b.ymin))
    let union = areaA + areaB - intersection
    return union > 0 ? intersection / union : 0
}
