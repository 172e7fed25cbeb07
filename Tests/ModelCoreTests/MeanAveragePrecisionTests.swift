import Testing

@testable import ModelCore

/// Mean average precision against reference numbers from pycocotools and py-faster-rcnn's `voc_eval` (see
/// `scripts/gen_map_fixtures.py`).
///
/// Tolerance: 1e-6 absolute on every AP. Inputs are exact in Float and Double and the IoU is computed the way
/// the references compute it, so the only differences left are summation order (~1e-16); any wrong match or
/// wrong interpolation moves an AP by far more (the fixture's 11-point and all-point APs differ by > 0.02 on
/// most cases, and one TP more or less moves an AP by ≥ 1/101 of its precision).
@Suite("Mean average precision vs pycocotools and voc_eval")
struct MeanAveragePrecisionTests {
    static let tolerance = 1e-6

    @Test("fixture loads; threshold grids are bit-identical to numpy's")
    func fixtureLoads() throws {
        let fixture = try MAPFixture.load()
        #expect(fixture.cases.count >= 15)
        #expect(COCOAveragePrecision.iouThresholds == fixture.cocoIoUThresholds)
        #expect(COCOAveragePrecision.recallThresholds == fixture.cocoRecallThresholds)
        #expect(VOCAveragePrecision.elevenRecallPoints == fixture.voc07RecallPoints)
        #expect(MeanAveragePrecision().coco().iouThresholds == fixture.cocoIoUThresholds)
    }

    @Test("VOC07 11-point mAP matches voc_eval", arguments: MAPFixture.cases)
    func voc07(_ testCase: MAPFixture.Case) throws {
        let map = testCase.accumulator()
        for (iou, expected) in testCase.expected.voc07 {
            Self.check(map.voc07(iou: try #require(Double(iou))), expected, "\(testCase.name) voc07@\(iou)")
        }
    }

    @Test("VOC all-point mAP matches voc_eval", arguments: MAPFixture.cases)
    func vocAllPoint(_ testCase: MAPFixture.Case) throws {
        let map = testCase.accumulator()
        for (iou, expected) in testCase.expected.vocAllPoint {
            Self.check(map.vocAllPoint(iou: try #require(Double(iou))), expected, "\(testCase.name) all-point@\(iou)")
        }
    }

    @Test("COCO mAP@[.5:.95], AP50, AP75 and per-class APs match pycocotools", arguments: MAPFixture.cases)
    func coco(_ testCase: MAPFixture.Case) {
        let result = testCase.accumulator().coco()
        let expected = testCase.expected.coco
        #expect(abs(result.averaged.mean - expected.map) <= Self.tolerance, "\(testCase.name) stats[0]")
        #expect(abs(result.ap50.mean - expected.ap50) <= Self.tolerance, "\(testCase.name) stats[1]")
        #expect(abs(result.ap75.mean - expected.ap75) <= Self.tolerance, "\(testCase.name) stats[2]")
        #expect(result.perThreshold.count == expected.perThresholdMean.count)
        for (ours, theirs) in zip(result.perThreshold, expected.perThresholdMean) {
            #expect(abs(ours.mean - theirs) <= Self.tolerance, "\(testCase.name) per-threshold mean")
        }
        Self.check(result.averaged, MAPFixture.Result(mean: expected.map, perClass: expected.perClass), "\(testCase.name) coco")
    }

    @Test("results do not depend on the order images are added", arguments: MAPFixture.cases)
    func orderIndependent(_ testCase: MAPFixture.Case) {
        let forward = testCase.accumulator()
        let backward = testCase.accumulator(reversed: true)
        #expect(forward.voc07() == backward.voc07())
        #expect(forward.vocAllPoint() == backward.vocAllPoint())
        #expect(forward.coco() == backward.coco())
    }

    @Test("the fixture separates 11-point from all-point interpolation")
    func interpolationsDiffer() throws {
        let fixture = try MAPFixture.load()
        let separating = fixture.cases.filter { testCase in
            let eleven = testCase.expected.voc07["0.5"]?.perClass ?? [:]
            let all = testCase.expected.vocAllPoint["0.5"]?.perClass ?? [:]
            return eleven.contains { abs($0.value - (all[$0.key] ?? $0.value)) > 0.02 }
        }
        #expect(separating.count >= 8)
        // Recall stopping at exactly 0.2 (a VOC07 point) and 0.3 (just below 0.30000000000000004).
        let lowRecall = try #require(fixture.cases.first { $0.name == "low_recall" }).accumulator()
        #expect(abs(lowRecall.voc07().averagePrecisions[0]! - 3.0 / 11) <= Self.tolerance)
        #expect(abs(lowRecall.voc07().averagePrecisions[1]! - 3.0 / 11) <= Self.tolerance)
        #expect(abs(lowRecall.vocAllPoint().averagePrecisions[0]! - 0.2) <= Self.tolerance)
    }

    static func check(_ result: MAPResult, _ expected: MAPFixture.Result, _ label: String) {
        #expect(abs(result.mean - expected.mean) <= tolerance, "\(label): mean \(result.mean) vs \(expected.mean)")
        #expect(Set(result.averagePrecisions.keys.map(String.init)) == Set(expected.perClass.keys), "\(label): classes")
        for (classID, ap) in result.averagePrecisions {
            let reference = expected.perClass[String(classID)] ?? .nan
            #expect(abs(ap - reference) <= tolerance, "\(label): class \(classID) AP \(ap) vs \(reference)")
        }
    }
}

@Suite("Mean average precision: edge cases")
struct MeanAveragePrecisionEdgeTests {
    static let truth = [
        GroundTruthBox(classID: 0, box: BoundingBox(xmin: 0, ymin: 0, xmax: 0.5, ymax: 0.5)),
        GroundTruthBox(classID: 1, box: BoundingBox(xmin: 0.5, ymin: 0.5, xmax: 1, ymax: 1)),
        GroundTruthBox(classID: 1, box: BoundingBox(xmin: 0, ymin: 0.5, xmax: 0.4, ymax: 0.9)),
    ]

    @Test("every box found exactly, nothing else: mAP 1")
    func allCorrect() {
        var map = MeanAveragePrecision()
        for imageID in 0..<3 {
            let detections = Self.truth.enumerated().map { Detection(classID: $1.classID, score: 0.9 - Float($0) / 10, box: $1.box) }
            map.add(detections: detections, groundTruth: Self.truth, imageID: imageID)
        }
        #expect(map.imageCount == 3)
        // 11 × (1/11) sums to 1.0000000000000002, in voc_ap as here.
        #expect(map.voc07().averagePrecisions.keys.sorted() == [0, 1])
        #expect(abs(map.voc07().mean - 1) < 1e-12)
        #expect(map.vocAllPoint().mean == 1)
        #expect(map.coco().averaged.mean == 1)
    }

    @Test("no detections: AP 0 for every class with ground truth")
    func noDetections() {
        var map = MeanAveragePrecision()
        map.add(detections: [], groundTruth: Self.truth, imageID: 7)
        #expect(map.voc07() == MAPResult(averagePrecisions: [0: 0, 1: 0]))
        #expect(map.vocAllPoint().mean == 0)
        #expect(map.coco().averaged == MAPResult(averagePrecisions: [0: 0, 1: 0]))
    }

    @Test("classes without ground truth are left out; no ground truth at all gives 0")
    func classesWithoutGroundTruth() {
        var map = MeanAveragePrecision()
        let stray = Detection(classID: 5, score: 0.9, box: BoundingBox(xmin: 0, ymin: 0, xmax: 1, ymax: 1))
        map.add(detections: [stray], groundTruth: [], imageID: 1)
        #expect(map.voc07() == MAPResult(averagePrecisions: [:]))
        #expect(map.voc07().mean == 0 && map.coco().averaged.mean == 0)

        map.add(detections: [Detection(classID: 0, score: 0.8, box: Self.truth[0].box)], groundTruth: [Self.truth[0]], imageID: 2)
        #expect(map.voc07().averagePrecisions.keys.sorted() == [0])
        #expect(map.vocAllPoint() == MAPResult(averagePrecisions: [0: 1]))
    }

    @Test("a second add for the same image appends; reset forgets everything")
    func addAndReset() {
        var split = MeanAveragePrecision()
        split.add(detections: [Detection(classID: 0, score: 0.9, box: Self.truth[0].box)], groundTruth: [Self.truth[0]], imageID: 1)
        split.add(detections: [Detection(classID: 0, score: 0.8, box: Self.truth[0].box)], groundTruth: [], imageID: 1)
        #expect(split.imageCount == 1)
        // Two ground-truth boxes, one found first (the duplicate is a false positive ranked after it):
        // all-point AP = recall 0.5 × precision 1.
        split.add(detections: [], groundTruth: [Self.truth[0]], imageID: 2)
        #expect(split.vocAllPoint().mean == 0.5)
        split.reset()
        #expect(split.imageCount == 0 && split.voc07().averagePrecisions.isEmpty)
    }
}
