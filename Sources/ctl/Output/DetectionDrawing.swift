import AWSProtocol
import Foundation
import ImageCodec

/// One row of an endpoint's answer: `[class_id, score, xmin, ymin, xmax, ymax]`, corners normalised to [0, 1].
struct PredictedBox: Equatable {
    var classId: Int
    var score: Double
    var xmin, ymin, xmax, ymax: Double

    /// The rows of a `{"prediction": [...]}` answer scoring at least `minScore`; malformed rows are skipped.
    static func rows(of answer: JSONValue, minScore: Double) -> [PredictedBox] {
        (answer["prediction"]?.arrayValue ?? []).compactMap { row in
            let v = (row.arrayValue ?? []).compactMap(\.doubleValue)
            guard v.count == 6, v[1] >= minScore else { return nil }
            return PredictedBox(classId: Int(v[0]), score: v[1], xmin: v[2], ymin: v[3], xmax: v[4], ymax: v[5])
        }
    }
}

/// Draws detections with their scores (green when scoring ≥ 0.5, yellow below) and, when known, the ground truth
/// (blue) on an image.
enum DetectionDrawing {
    static let legend = "green: score ≥ 0.5, yellow: below, blue: ground truth"

    /// The image in `bytes` with the boxes drawn, as PNG.
    static func png(of bytes: [UInt8], predictions: [PredictedBox], truth: [BoxDrawing.Box] = []) throws -> [UInt8] {
        var image = try ImageDecoder.decodeUpright(bytes)
        let (w, h) = (Double(image.width), Double(image.height))
        let predicted = predictions.map { p in
            BoxDrawing.Box(
                left: p.xmin * w, top: p.ymin * h, width: (p.xmax - p.xmin) * w, height: (p.ymax - p.ymin) * h,
                color: p.score >= 0.5 ? (0, 230, 0) : (255, 200, 0))
        }
        let thickness = max(2, image.width / 200)
        BoxDrawing.draw(boxes: truth, on: &image, color: (40, 120, 255), thickness: max(1, thickness / 2))
        BoxDrawing.draw(boxes: predicted, on: &image, thickness: thickness)
        // Each detection's score on a tag of its colour above its top-left corner, lowest first so the best stay on top.
        let scale = max(1, image.width / 400)
        for (prediction, box) in zip(predictions, predicted).sorted(by: { $0.0.score < $1.0.score }) {
            TextDrawing.draw(
                String(format: "%.2f", prediction.score), left: Int(box.left) - thickness, bottom: Int(box.top) - thickness, on: &image,
                background: box.color ?? (0, 230, 0), scale: scale)
        }
        return try PNGCodec.encode(image)
    }
}
