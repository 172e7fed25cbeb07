import Foundation
import ModelCore
import Testing

@Suite("SSD detection decoder")
struct DetectionDecoderTests {
    static let anchors = DefaultBoxes.ssd300VGG16

    static func box(_ xmin: Float, _ ymin: Float, _ xmax: Float, _ ymax: Float) -> BoundingBox {
        BoundingBox(xmin: xmin, ymin: ymin, xmax: xmax, ymax: ymax)
    }

    /// The heads' outputs a perfect network would give: exact offsets, logit 20 on each anchor's target class.
    static func perfectOutputs(_ targets: [AnchorTargets], width: Int) -> (locations: [Float], logits: [Float]) {
        var logits = [Float](repeating: 0, count: targets.count * anchors.count * width)
        for (image, target) in targets.enumerated() {
            for anchor in 0..<anchors.count {
                logits[(image * anchors.count + anchor) * width + Int(target.classTargets[anchor])] = 20
            }
        }
        return (targets.flatMap(\.locationTargets), logits)
    }

    @Test("ground truth encoded as perfect predictions decodes back to itself: score ≈ 1, mAP 1")
    func roundTrip() {
        let truth: [[GroundTruthBox]] = [
            [
                GroundTruthBox(classID: 0, box: Self.box(0.1, 0.15, 0.45, 0.6)),
                GroundTruthBox(classID: 1, box: Self.box(0.5, 0.5, 0.58, 0.62)),
                GroundTruthBox(classID: 1, box: Self.box(0.02, 0.7, 0.98, 0.99)),
            ],
            [GroundTruthBox(classID: 0, box: Self.box(0.3, 0.2, 0.7, 0.9))],
            [],
        ]
        let assigner = TargetAssigner(anchors: Self.anchors)
        let (locations, logits) = Self.perfectOutputs(truth.map { assigner($0) }, width: 3)
        let detections = DetectionDecoder(anchors: Self.anchors)(locations: locations, classLogits: logits)
        #expect(detections.count == truth.count)

        var map = MeanAveragePrecision()
        for (image, found) in detections.enumerated() {
            map.add(detections: found, groundTruth: truth[image], imageID: image)
            #expect(found.count == truth[image].count, "image \(image): \(found)")
            for expected in truth[image] {
                let match = found.first { $0.classID == expected.classID && $0.box.intersectionOverUnion(expected.box) > 0.9999 }
                #expect(match != nil, "image \(image): \(expected) not recovered from \(found)")
                #expect((match?.score ?? 0) > 0.9999)
            }
        }
        // 1 up to the rounding of summing eleven interpolated precisions.
        #expect(abs(map.voc07().mean - 1) < 1e-12)
        #expect(abs(map.coco().averaged.mean - 1) < 1e-12)
    }

    @Test("SageMaker rows: [class_id, score, xmin, ymin, xmax, ymax], class id as a float, in the given order")
    func predictionRows() {
        let detections = [
            Detection(classID: 3, score: 0.9, box: Self.box(0.1, 0.2, 0.3, 0.4)),
            Detection(classID: 0, score: 0.5, box: Self.box(0.5, 0.6, 0.7, 0.8)),
        ]
        #expect(DetectionDecoder.predictionRows(detections) == [[3, 0.9, 0.1, 0.2, 0.3, 0.4], [0, 0.5, 0.5, 0.6, 0.7, 0.8]])
        #expect(DetectionDecoder.predictionRows([]) == [])
    }

    @Test("the endpoint's body: {\"prediction\": rows}, each number as Python prints the float32 widened to a double")
    func predictionJSON() throws {
        let detections = [
            Detection(classID: 0, score: 0.5, box: Self.box(0.25, 0.125, 0.75, 1)),
            Detection(classID: 2, score: 0.30520001, box: Self.box(0.52106756, 0, 1, 0.47393024)),
        ]
        let body = String(decoding: ObjectDetector.predictionJSON(detections), as: UTF8.self)
        // Python: repr(struct.unpack("f", struct.pack("f", 0.30520001))[0]) == "0.3052000105381012", and so on.
        #expect(
            body == #"{"prediction": [[0.0, 0.5, 0.25, 0.125, 0.75, 1.0], [2.0, 0.3052000105381012, 0.5210675597190857, 0.0, 1.0, 0.4739302396774292]]}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: [[Double]]]
        #expect(parsed?["prediction"]?.map { $0.map { Float($0) } } == DetectionDecoder.predictionRows(detections))
        #expect(String(decoding: ObjectDetector.predictionJSON([]), as: UTF8.self) == #"{"prediction": []}"#)
    }

    @Test("untrained outputs: ≤ nms_topk detections, by descending score, clipped, 0-based classes, no same-class overlaps")
    func randomOutputs() {
        var random = TestRandom(seed: 21)
        let width = 4
        let locations = random.uniform(2 * Self.anchors.count * 4).map { $0 * 3 }
        let logits = random.uniform(2 * Self.anchors.count * width).map { $0 * 4 }
        let decoder = DetectionDecoder(anchors: Self.anchors, nmsThreshold: 0.45, topK: 50)
        let batch = decoder(locations: locations, classLogits: logits)
        for (image, detections) in batch.enumerated() {
            #expect(detections.count == 50, "image \(image)")
            #expect(zip(detections, detections.dropFirst()).allSatisfy { $0.score >= $1.score })
            #expect(detections.allSatisfy { (0..<(width - 1)).contains($0.classID) && $0.score >= 0.01 && $0.score <= 1 })
            #expect(detections.allSatisfy { [$0.box.xmin, $0.box.ymin, $0.box.xmax, $0.box.ymax].allSatisfy { (0...1).contains($0) } })
            for (i, a) in detections.enumerated() {
                for b in detections[(i + 1)...] where a.classID == b.classID {
                    #expect(a.box.intersectionOverUnion(b.box) < 0.45)
                }
            }
            let single = locations.withUnsafeBufferPointer { locations in
                logits.withUnsafeBufferPointer { logits in
                    decoder.decode(
                        locations: UnsafeBufferPointer(
                            rebasing: locations[(image * Self.anchors.count * 4)..<((image + 1) * Self.anchors.count * 4)]
                        ),
                        classLogits: UnsafeBufferPointer(
                            rebasing: logits[(image * Self.anchors.count * width)..<((image + 1) * Self.anchors.count * width)]
                        )
                    )
                }
            }
            #expect(single == detections)
        }
        #expect(batch[0] != batch[1])
    }

    @Test("decoding only the top-k candidates' boxes gives what decoding every anchor gives", arguments: [400, 50, 0])
    func matchesEveryAnchorReference(topK: Int) {
        var random = TestRandom(seed: UInt64(topK) + 5)
        let width = 3
        let locations = random.uniform(Self.anchors.count * 4).map { $0 * 2 }
        // Logits on a coarse grid, so equal scores (ties to the lower anchor) are common.
        let logits = random.uniform(Self.anchors.count * width).map { ($0 * 8).rounded() / 2 }
        let decoder = DetectionDecoder(anchors: Self.anchors, nmsThreshold: 0.45, topK: topK)
        #expect(decoder(locations: locations, classLogits: logits)[0] == Self.everyAnchorReference(decoder, locations, logits, width: width))
    }

    /// The decoder as first written: every anchor's box decoded, then suppression per class over all candidates.
    static func everyAnchorReference(_ decoder: DetectionDecoder, _ locations: [Float], _ logits: [Float], width: Int) -> [Detection] {
        var survivors: [(detection: Detection, anchor: Int)] = []
        let nms = NonMaximumSuppression(iouThreshold: decoder.nmsThreshold, topK: decoder.topK, scoreThreshold: decoder.scoreThreshold)
        for classID in 0..<(width - 1) {
            var candidates: [Detection] = []
            var candidateAnchors: [Int] = []
            for anchor in 0..<anchors.count {
                let row = logits[(anchor * width)..<((anchor + 1) * width)]
                let largest = row.max()!
                let score = exp(row[row.startIndex + classID + 1] - largest) / row.reduce(0) { $0 + exp($1 - largest) }
                guard score >= decoder.scoreThreshold else { continue }
                let offsets = SIMD4(locations[anchor * 4], locations[anchor * 4 + 1], locations[anchor * 4 + 2], locations[anchor * 4 + 3])
                let box = decoder.coder.decode(offsets, anchor: anchors.boxes[anchor]).clippedToUnitSquare()
                candidates.append(Detection(classID: classID, score: score, box: box))
                candidateAnchors.append(anchor)
            }
            for kept in nms.keptIndices(candidates) { survivors.append((candidates[kept], candidateAnchors[kept])) }
        }
        survivors.sort { ($0.detection.score, -$0.detection.classID, -$0.anchor) > ($1.detection.score, -$1.detection.classID, -$1.anchor) }
        return Array(survivors.prefix(decoder.topK > 0 ? decoder.topK : survivors.count)).map(\.detection)
    }
}
