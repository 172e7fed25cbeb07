import ModelCore
import Testing

@Suite("precision–recall curve and its best-F1 point")
struct PrecisionRecallCurveTests {
    @Test("ranked by score across images: TP, FP, precision, recall after each; best F1 with its false positives and negatives")
    func curve() throws {
        let hit = BoundingBox(xmin: 0.1, ymin: 0.1, xmax: 0.4, ymax: 0.4)
        let elsewhere = BoundingBox(xmin: 0.6, ymin: 0.6, xmax: 0.9, ymax: 0.9)
        var metric = MeanAveragePrecision()
        // Image 0: one bee, found (0.9) and found again (0.5, a duplicate: false positive).
        metric.add(
            detections: [Detection(classID: 0, score: 0.9, box: hit), Detection(classID: 0, score: 0.5, box: hit)],
            groundTruth: [GroundTruthBox(classID: 0, box: hit)],
            imageID: 0
        )
        // Image 1: two bees, one found (0.7), a miss at 0.8 elsewhere; the other bee never found.
        metric.add(
            detections: [Detection(classID: 0, score: 0.8, box: elsewhere), Detection(classID: 0, score: 0.7, box: hit)],
            groundTruth: [
                GroundTruthBox(classID: 0, box: hit), GroundTruthBox(classID: 0, box: BoundingBox(xmin: 0.45, ymin: 0.0, xmax: 0.55, ymax: 0.1)),
            ],
            imageID: 1
        )
        let curve = try #require(metric.precisionRecallCurves()[0])
        #expect(curve.positives == 3)
        #expect(curve.scores.map { Float($0) } == [0.9, 0.8, 0.7, 0.5])
        #expect(curve.truePositives == [1, 1, 2, 2])
        let (third, twoThirds): (Double, Double) = (1.0 / 3, 2.0 / 3)
        #expect(curve.recall == [third, third, twoThirds, twoThirds])
        #expect(curve.precision == [1, 0.5, twoThirds, 0.5])
        let best = try #require(curve.bestF1)
        // F1 after each: 0.5, 0.4, 0.667, 0.571 — the third, at score 0.7.
        #expect(Float(best.score) == 0.7)
        #expect(abs(best.f1 - twoThirds) < 1e-12)
        #expect(best.truePositives == 2 && best.falsePositives == 1 && best.falseNegatives == 1)
        #expect(metric.precisionRecallCurves()[1] == nil)
    }
}
