import Foundation
import GroundTruthFormat

/// Labels of a set of images in no particular file format: what an export writes and an import reads.
/// Class ids index `categories`; every item is a labeled image, possibly with no box.
public struct LabelSet: Sendable, Equatable, Codable {
    /// One labeled image.
    public struct Item: Sendable, Equatable, Codable {
        /// The image's name: unique, a path relative to the format's image folder (`hive2/0001.jpg`).
        public var fileName: String
        /// Where to read the image on import: an absolute path, `file://` URL or `s3://` URI.
        public var reference: String
        /// The upright size the file states, checked against the image on import (`nil` when the format has none).
        public var width: Int?
        public var height: Int?
        public var boxes: [GroundTruthAnnotation]
        /// When the labels last changed, for formats that record it (the manifest's `creation-date`).
        public var labeledAt: Date?
        /// Who made the labels, for formats that record it (the manifest's `human-annotated`).
        public var origin: LabelOrigin

        public init(
            fileName: String, reference: String, width: Int?, height: Int?, boxes: [GroundTruthAnnotation], labeledAt: Date? = nil,
            origin: LabelOrigin = .human
        ) {
            self.fileName = fileName
            self.reference = reference
            self.width = width
            self.height = height
            self.boxes = boxes
            self.labeledAt = labeledAt
            self.origin = origin
        }
    }

    /// Class names; a box's `classId` is an index into this list.
    public var categories: [String]
    public var items: [Item]

    /// `.machine` when every item is machine-made, else `.human`.
    public var origin: LabelOrigin {
        !items.isEmpty && items.allSatisfy { $0.origin == .machine } ? .machine : .human
    }

    public init(categories: [String], items: [Item]) {
        self.categories = categories
        self.items = items
    }
}
