import Foundation
import ModelCore
import Testing

/// `Fixtures/map_fixtures.json`, written by `scripts/gen_map_fixtures.py` from pycocotools' `COCOeval` and a
/// numpy copy of py-faster-rcnn's `voc_eval`; see the script for how each number is produced.
struct MAPFixture: Decodable, Sendable {
    var cocoIoUThresholds: [Double]
    var cocoRecallThresholds: [Double]
    var voc07RecallPoints: [Double]
    var cases: [Case]

    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var description: String
        var classCount: Int
        var images: [Image]
        var expected: Expected
        var testDescription: String { name }
    }

    /// Rows: ground truth `[class, xmin, ymin, xmax, ymax]`, detections `[class, score, xmin, ymin, xmax, ymax]`.
    struct Image: Decodable, Sendable {
        var id: Int
        var groundTruth: [[Double]]
        var detections: [[Double]]
    }

    struct Expected: Decodable, Sendable {
        /// Keyed by IoU threshold as the script prints it ("0.5", "0.7").
        var voc07: [String: Result]
        var vocAllPoint: [String: Result]
        var coco: COCO
    }

    struct Result: Decodable, Sendable {
        var mean: Double
        /// Keyed by class id as a string (JSON object keys).
        var perClass: [String: Double]
    }

    struct COCO: Decodable, Sendable {
        var map: Double
        var ap50: Double
        var ap75: Double
        var perClass: [String: Double]
        var perThresholdMean: [Double]
    }

    static func load() throws -> MAPFixture {
        guard let url = Bundle.module.url(forResource: "map_fixtures", withExtension: "json", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode(MAPFixture.self, from: Data(contentsOf: url))
    }

    /// The fixture's cases, or none if it cannot be read (`fixtureLoads` then fails and says why).
    static let cases: [Case] = (try? load().cases) ?? []
}

extension MAPFixture.Image {
    var modelGroundTruth: [GroundTruthBox] {
        groundTruth.map { GroundTruthBox(classID: Int($0[0]), box: box($0[1...])) }
    }

    var modelDetections: [Detection] {
        detections.map { Detection(classID: Int($0[0]), score: Float($0[1]), box: box($0[2...])) }
    }

    /// Fixture values are multiples of 2^-16 or 1/4 pixel (scaled by 2^-10), so the conversion to Float is exact.
    private func box(_ values: ArraySlice<Double>) -> BoundingBox {
        let v = Array(values)
        return BoundingBox(xmin: Float(v[0]), ymin: Float(v[1]), xmax: Float(v[2]), ymax: Float(v[3]))
    }
}

extension MAPFixture.Case {
    /// The case's images added to an accumulator, in the given order.
    func accumulator(reversed: Bool = false) -> MeanAveragePrecision {
        var map = MeanAveragePrecision()
        for image in reversed ? images.reversed() : images {
            map.add(detections: image.modelDetections, groundTruth: image.modelGroundTruth, imageID: image.id)
        }
        return map
    }
}
