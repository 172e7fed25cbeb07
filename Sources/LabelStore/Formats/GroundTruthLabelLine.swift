import Foundation
import GroundTruthFormat

/// Builds the manifest line of a labeled image as a Ground Truth bounding-box job with one worker writes it:
/// boxes in upright pixels, `image_size` upright, one `objects` entry of confidence 0.0 per box (a single worker
/// per object), `human-annotated` `yes` (or `no` for machine-made labels), the time the image's labels were last changed as `creation-date`.
enum GroundTruthLabelLine {
    /// - Parameter categories: class names in class-id order, all of which go in the `class-map`.
    static func line(
        sourceRef: String,
        labelAttributeName: String,
        jobName: String,
        width: Int,
        height: Int,
        boxes: [GroundTruthAnnotation],
        categories: [String],
        labeledAt: Date,
        origin: LabelOrigin
    ) -> GroundTruthManifestLine {
        GroundTruthManifestLine(
            sourceRef: sourceRef,
            labelAttributeName: labelAttributeName,
            label: GroundTruthBoundingBoxLabel(annotations: boxes, imageSize: GroundTruthImageSize(width: width, height: height)),
            metadata: GroundTruthLabelMetadata(
                jobName: "labeling-job/" + jobName,
                classMap: Dictionary(uniqueKeysWithValues: categories.enumerated().map { (String($0.offset), $0.element) }),
                humanAnnotated: origin == .human ? "yes" : "no",
                objects: boxes.map { _ in .init(confidence: 0) },
                creationDate: creationDate(labeledAt)
            )
        )
    }

    /// Ground Truth's `creation-date`: UTC, no zone, microseconds — `2019-05-16T00:15:58.914553`.
    static func creationDate(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let micro = min(Int(((seconds - whole) * 1_000_000).rounded()), 999_999)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: whole))
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return String(format: "%04d", c.year ?? 1970) + "-" + two(c.month) + "-" + two(c.day) + "T" + two(c.hour) + ":" + two(c.minute) + ":"
            + two(c.second) + "." + String(format: "%06d", micro)
    }
}
