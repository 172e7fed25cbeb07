import Foundation

/// The `<attribute>-metadata` object of a bounding-box label. Every member is optional when reading, since
/// hand-made manifests often carry only some of them; members that are `nil` are not written.
public struct GroundTruthLabelMetadata: Sendable, Equatable, Codable {
    /// The labeler's confidence in one annotation; `objects[i]` belongs to `annotations[i]`.
    public struct Object: Sendable, Equatable, Codable {
        public var confidence: Double

        public init(confidence: Double) {
            self.confidence = confidence
        }
    }

    /// The task type of bounding-box jobs.
    public static let objectDetectionType = "groundtruth/object-detection"

    /// e.g. `labeling-job/bees-500`.
    public var jobName: String?
    /// Class index (as a string) → class name, e.g. `["0": "bee"]`.
    public var classMap: [String: String]?
    /// `"yes"` when a person drew the boxes, `"no"` for machine labels.
    public var humanAnnotated: String?
    public var objects: [Object]?
    /// ISO 8601 without a zone, with microseconds: `2019-05-16T00:15:58.914553`.
    public var creationDate: String?
    /// `groundtruth/object-detection` for bounding boxes.
    public var type: String?
    /// An adjustment job's verdict on an image: `adjusted` when the worker changed the boxes, else `unadjusted`.
    public var adjustmentStatus: String?

    public init(
        jobName: String?,
        classMap: [String: String]?,
        humanAnnotated: String?,
        objects: [Object]?,
        creationDate: String?,
        type: String? = GroundTruthLabelMetadata.objectDetectionType,
        adjustmentStatus: String? = nil
    ) {
        self.adjustmentStatus = adjustmentStatus
        self.jobName = jobName
        self.classMap = classMap
        self.humanAnnotated = humanAnnotated
        self.objects = objects
        self.creationDate = creationDate
        self.type = type
    }

    enum CodingKeys: String, CodingKey {
        case jobName = "job-name"
        case classMap = "class-map"
        case humanAnnotated = "human-annotated"
        case objects
        case creationDate = "creation-date"
        case type
        case adjustmentStatus = "adjustment-status"
    }
}
