import Foundation
import GroundTruthFormat

/// The `coco` format: `annotations.json` in COCO's object-detection layout — every image listed, even with no
/// annotation; `bbox` = `[x, y, width, height]` in pixels; category id = class id + 1 (COCO keeps 0 for
/// background) — with the images in `images/`.
enum COCOFiles {
    static let annotationsName = "annotations.json"
    static let imageFolder = "images"

    struct Document: Codable {
        struct Image: Codable {
            var id: Int
            var file_name: String
            var width: Int
            var height: Int
        }
        struct Annotation: Codable {
            var id: Int
            var image_id: Int
            var category_id: Int
            var bbox: [Double]
            var area: Double?
            var iscrowd: Int?
        }
        struct Category: Codable {
            var id: Int
            var name: String
            var supercategory: String?
        }
        var images: [Image]
        var annotations: [Annotation]
        var categories: [Category]
    }

    static func write(_ set: LabelSet, to folder: URL, imageBytes: (LabelSet.Item) throws -> [UInt8]) throws {
        var document = Document(
            images: [],
            annotations: [],
            categories: set.categories.enumerated().map { .init(id: $0.offset + 1, name: $0.element, supercategory: "none") }
        )
        for (index, item) in set.items.enumerated() {
            document.images.append(.init(id: index + 1, file_name: item.fileName, width: item.width ?? 0, height: item.height ?? 0))
            for box in item.boxes {
                document.annotations.append(
                    .init(
                        id: document.annotations.count + 1,
                        image_id: index + 1,
                        category_id: box.classId + 1,
                        bbox: [box.left, box.top, box.width, box.height],
                        area: box.width * box.height,
                        iscrowd: 0
                    )
                )
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try LabelFiles.writeImages(of: set, into: folder.appendingPathComponent(imageFolder), imageBytes: imageBytes)
        try LabelFiles.write(try encoder.encode(document), to: folder.appendingPathComponent(annotationsName))
    }

    /// Reads `path` (the JSON file, or a folder holding `annotations.json`); images are looked for in `images/`
    /// beside it. Categories keep the order of their ids.
    static func read(_ path: URL) throws -> LabelSet {
        let file = LabelFiles.file(path, orInFolder: annotationsName)
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: try LabelFiles.read(file))
        } catch let error as DecodingError {
            throw LabelStoreError(.invalid, "\(file.path) is not COCO object-detection JSON (images, annotations, categories): \(error)")
        }
        let categories = document.categories.sorted { $0.id < $1.id }
        let classIds = Dictionary(categories.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        var items = document.images.map { image in
            LabelSet.Item(
                fileName: image.file_name,
                reference: file.deletingLastPathComponent().appendingPathComponent(imageFolder).appendingPathComponent(image.file_name).path,
                width: image.width,
                height: image.height,
                boxes: []
            )
        }
        let itemIndex = Dictionary(document.images.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        for annotation in document.annotations {
            guard let index = itemIndex[annotation.image_id] else {
                throw LabelStoreError(.invalid, "\(file.path): annotation \(annotation.id) names image \(annotation.image_id), which is not listed")
            }
            guard let classId = classIds[annotation.category_id] else {
                throw LabelStoreError(
                    .invalid,
                    "\(file.path): annotation \(annotation.id) has category \(annotation.category_id), which is not listed"
                )
            }
            guard annotation.bbox.count == 4 else {
                throw LabelStoreError(
                    .invalid,
                    "\(file.path): annotation \(annotation.id) has a bbox of \(annotation.bbox.count) numbers; COCO's is [x, y, width, height]"
                )
            }
            let b = annotation.bbox
            items[index].boxes.append(GroundTruthAnnotation(classId: classId, left: b[0], top: b[1], width: b[2], height: b[3]))
        }
        return LabelSet(categories: categories.map(\.name), items: items)
    }
}
