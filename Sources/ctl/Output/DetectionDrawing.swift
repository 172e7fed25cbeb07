import AWSProtocol
import Foundation
import ImageCodec

/// One row of an endpoint's answer: `[class_id, score, xmin, ymin, xmax, ymax]`, corners normalised to [0, 1].
struct PredictedBox: Equatable {
    var classId: Int
    var score: Double
    var xmin, ymin, xmax, ymax: Double

    /// The rows of a `{"prediction": [...]}` answer scoring at least `minScore`, best first, at most
    /// `maxDetections`; malformed rows are skipped.
    static func rows(of answer: JSONValue, minScore: Double, maxDetections: Int = .max) -> [PredictedBox] {
        let rows = (answer["prediction"]?.arrayValue ?? []).compactMap { row -> PredictedBox? in
            let v = (row.arrayValue ?? []).compactMap(\.doubleValue)
            guard v.count == 6, v[1] >= minScore else { return nil }
            return PredictedBox(classId: Int(v[0]), score: v[1], xmin: v[2], ymin: v[3], xmax: v[4], ymax: v[5])
        }
        return Array(rows.sorted { $0.score > $1.score }.prefix(maxDetections))
    }
}

/// Draws detections with their class name and score (green when scoring ≥ 0.5, yellow below) and, when known, the
/// ground truth (blue) on an image; the legend names only what was drawn.
enum DetectionDrawing {
    /// The legend of a drawing: only the colours that appear in it.
    static func legend(_ predictions: [PredictedBox], truth: Bool) -> String {
        var parts: [String] = []
        if predictions.contains(where: { $0.score >= 0.5 }) { parts.append("green: score ≥ 0.5") }
        if predictions.contains(where: { $0.score < 0.5 }) { parts.append("yellow: score below 0.5") }
        if truth { parts.append("blue: ground truth") }
        return parts.isEmpty ? "nothing detected" : parts.joined(separator: ", ")
    }

    /// `name 0.93`, the tag of a detection; `class 3` when the class has no name.
    static func tag(_ prediction: PredictedBox, classNames: [String]) -> String {
        let name = classNames.indices.contains(prediction.classId) ? classNames[prediction.classId] : "class \(prediction.classId)"
        return "\(name) " + String(format: "%.2f", prediction.score)
    }

    /// The image in `bytes` with the boxes drawn, as PNG.
    static func png(of bytes: [UInt8], predictions: [PredictedBox], truth: [BoxDrawing.Box] = [], classNames: [String] = []) throws -> [UInt8] {
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
        // Each detection's class and score on a tag of its colour above its top-left corner, lowest first so the
        // best stay on top.
        let scale = max(1, image.width / 400)
        for (prediction, box) in zip(predictions, predicted).sorted(by: { $0.0.score < $1.0.score }) {
            TextDrawing.draw(
                tag(prediction, classNames: classNames), left: Int(box.left) - thickness, bottom: Int(box.top) - thickness, on: &image,
                background: box.color ?? (0, 230, 0), scale: scale)
        }
        return try PNGCodec.encode(image)
    }
}
