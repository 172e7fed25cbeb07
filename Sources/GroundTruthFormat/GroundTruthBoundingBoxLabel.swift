import Foundation

/// One object in a Ground Truth bounding-box label: a class index and a box in pixels, `left`/`top` being the
/// top-left corner. Coordinates are `Double` because labelers' tools write fractions (`95.39999999999998`).
public struct GroundTruthAnnotation: Sendable, Equatable, Codable {
    public var classId: Int
    public var left: Double
    public var top: Double
    public var width: Double
    public var height: Double

    public init(classId: Int, left: Double, top: Double, width: Double, height: Double) {
        self.classId = classId
        self.left = left
        self.top = top
        self.width = width
        self.height = height
    }

    enum CodingKeys: String, CodingKey {
        case classId = "class_id"
        case left, top, width, height
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        classId = try container.decodeWholeNumber(forKey: .classId)
        left = try container.decode(Double.self, forKey: .left)
        top = try container.decode(Double.self, forKey: .top)
        width = try container.decode(Double.self, forKey: .width)
        height = try container.decode(Double.self, forKey: .height)
    }
}

/// The size of a labelled image, as Ground Truth records it (`depth` is 3 for RGB).
public struct GroundTruthImageSize: Sendable, Equatable, Codable {
    public var width: Int
    public var height: Int
    public var depth: Int

    public init(width: Int, height: Int, depth: Int = 3) {
        self.width = width
        self.height = height
        self.depth = depth
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        width = try container.decodeWholeNumber(forKey: .width)
        height = try container.decodeWholeNumber(forKey: .height)
        depth = try container.decodeWholeNumber(forKey: .depth)
    }
}

/// The value of a bounding-box label attribute: `{"annotations": [...], "image_size": [{...}]}`.
/// An image with no objects has an empty `annotations` array.
public struct GroundTruthBoundingBoxLabel: Sendable, Equatable, Codable {
    public var annotations: [GroundTruthAnnotation]
    /// One element in every manifest Ground Truth writes.
    public var imageSize: [GroundTruthImageSize]

    public init(annotations: [GroundTruthAnnotation], imageSize: GroundTruthImageSize) {
        self.annotations = annotations
        self.imageSize = [imageSize]
    }

    enum CodingKeys: String, CodingKey {
        case annotations
        case imageSize = "image_size"
    }
}
