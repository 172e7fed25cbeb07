/// Mean average precision over a set of images, accumulated one image at a time (e.g. over a validation epoch).
///
/// Three flavours, all greedy matching by descending score within a class, each ground-truth box matched at
/// most once:
/// - `voc07(iou:)`: VOC2007 11-point interpolated AP, SageMaker's `validation:mAP` (`overlap_threshold`, 0.5);
/// - `vocAllPoint(iou:)`: VOC2010+ area under the monotone precision envelope;
/// - `coco()`: COCO mAP@[.5:.95], 101-point interpolation, as pycocotools' `COCOeval` computes it.
///
/// mAP is the mean over classes with at least one ground-truth box. A class with ground truth but no
/// detections has AP 0; a class with no ground truth is left out (its detections cannot be scored against
/// any recall); with no ground truth at all the mean is 0. Detections and ground truth must use the same
/// coordinate space (pixels or normalised); no "+1 pixel" convention; no "difficult" or "crowd" flags.
public struct MeanAveragePrecision: Sendable {
    /// SageMaker's `overlap_threshold` default: the IoU a detection needs to count as a true positive.
    public static let defaultIoUThreshold = 0.5

    private var images: [Int: (detections: [Detection], groundTruth: [GroundTruthBox])] = [:]

    /// Creates an empty accumulator.
    public init() {}

    /// How many distinct images have been added.
    public var imageCount: Int { images.count }

    /// Adds one image's detections (e.g. after non-maximum suppression) and its ground truth.
    ///
    /// Adding the same `imageID` again appends to that image. Images are evaluated in ascending `imageID`
    /// order, which breaks score ties between images, so results do not depend on the order of `add` calls.
    /// The COCO flavour keeps only the 100 highest-scoring detections per image and class, as pycocotools does.
    public mutating func add(detections: [Detection], groundTruth: [GroundTruthBox], imageID: Int) {
        images[imageID, default: ([], [])].detections.append(contentsOf: detections)
        images[imageID, default: ([], [])].groundTruth.append(contentsOf: groundTruth)
    }

    /// Forgets every image, ready for the next epoch.
    public mutating func reset() {
        images.removeAll()
    }

    /// VOC2007 11-point interpolated mAP at IoU ≥ `iou` (py-faster-rcnn's `voc_eval` rule).
    public func voc07(iou: Double = defaultIoUThreshold) -> MAPResult {
        voc(iou: iou, interpolation: .elevenPoint)
    }

    /// VOC2010+ all-point mAP at IoU ≥ `iou`: the area under the monotone precision envelope.
    public func vocAllPoint(iou: Double = defaultIoUThreshold) -> MAPResult {
        voc(iou: iou, interpolation: .allPoint)
    }

    /// COCO mAP@[.5:.95] with 101-point interpolation, maxDets 100, area "all" (pycocotools' `COCOeval`).
    public func coco() -> COCOMAPResult {
        var perThreshold = [[Int: Double]](repeating: [:], count: COCOAveragePrecision.iouThresholds.count)
        for (classID, slices) in classSlices() {
            guard let aps = COCOAveragePrecision.averagePrecisions(slices) else { continue }
            for (t, ap) in aps.enumerated() { perThreshold[t][classID] = ap }
        }
        return COCOMAPResult(
            iouThresholds: COCOAveragePrecision.iouThresholds,
            perThreshold: perThreshold.map { MAPResult(averagePrecisions: $0) }
        )
    }

    /// Each class's precision–recall curve at IoU ≥ `iou` (VOC's matching), keyed by class id; classes without
    /// ground truth are absent.
    public func precisionRecallCurves(iou: Double = defaultIoUThreshold) -> [Int: PrecisionRecallCurve] {
        classSlices().compactMapValues { VOCAveragePrecision.curve($0, iouThreshold: iou) }
    }

    private func voc(iou: Double, interpolation: VOCAveragePrecision.Interpolation) -> MAPResult {
        var aps: [Int: Double] = [:]
        for (classID, slices) in classSlices() {
            aps[classID] = VOCAveragePrecision.averagePrecision(slices, iouThreshold: iou, interpolation: interpolation)
        }
        return MAPResult(averagePrecisions: aps)
    }

    private func classSlices() -> [Int: [ClassSlice]] {
        ClassSlice.group(images.keys.sorted().map { images[$0]! })
    }
}
