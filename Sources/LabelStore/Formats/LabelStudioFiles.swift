import Foundation
import GroundTruthFormat

/// The `labelstudio` format: Label Studio's JSON export of an object-detection project — `annotations.json`, a list
/// of tasks `{"id", "data": {"image": "images/<name>"}, "annotations": [{"id", "result": [...]}]}` whose results
/// are `rectanglelabels` with `x, y, width, height` in percent of `original_width` and `original_height` — plus
/// `classes.txt` (the class order, which Label Studio's JSON does not keep) and the images in `images/`.
///
/// Every labeled image is a task with one annotation (an empty `result` for an image with no box, whose size is
/// then read from the image); a task without annotations is not labeled and is skipped on import. Percentages are decimals of the fewest significant digits,
/// from 17 up, that read back (`percent · size / 100`) to exactly the stored pixels.
enum LabelStudioFiles {
    static let annotationsName = "annotations.json"
    static let imageFolder = "images"
    static let classesName = "classes.txt"

    struct Task: Codable {
        struct Source: Codable { var image: String }
        struct Annotation: Codable {
            var id: Int?
            var result: [Result]
        }
        struct Result: Codable {
            struct Value: Codable {
                var x: Decimal?
                var y: Decimal?
                var width: Decimal?
                var height: Decimal?
                var rotation: Decimal?
                var rectanglelabels: [String]?
            }
            var id: String?
            var type: String
            var from_name: String?
            var to_name: String?
            var original_width: Int?
            var original_height: Int?
            var image_rotation: Int?
            var value: Value
        }
        var id: Int?
        var data: Source
        var annotations: [Annotation]?
    }

    static func write(_ set: LabelSet, to folder: URL, imageBytes: (LabelSet.Item) throws -> [UInt8]) throws {
        let tasks = set.items.enumerated().map { index, item in
            let (width, height) = (item.width ?? 1, item.height ?? 1)
            let results = item.boxes.enumerated().map { number, box in
                Task.Result(
                    id: "\(index + 1)-\(number + 1)", type: "rectanglelabels", from_name: "label", to_name: "image", original_width: width,
                    original_height: height, image_rotation: 0,
                    value: .init(
                        x: percent(box.left, of: width), y: percent(box.top, of: height), width: percent(box.width, of: width),
                        height: percent(box.height, of: height), rotation: 0, rectanglelabels: [set.categories[box.classId]])
                )
            }
            return Task(id: index + 1, data: .init(image: imageFolder + "/" + item.fileName), annotations: [.init(id: index + 1, result: results)])
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try LabelFiles.writeImages(of: set, into: folder.appendingPathComponent(imageFolder), imageBytes: imageBytes)
        try LabelFiles.write(try encoder.encode(tasks), to: folder.appendingPathComponent(annotationsName))
        try LabelFiles.write(set.categories.map { $0 + "\n" }.joined(), to: folder.appendingPathComponent(classesName))
    }

    /// Reads `path` (the JSON file, or a folder holding `annotations.json`). Classes come in the order of
    /// `classes.txt` beside it when there is one, then in order of appearance; a relative `data.image` is relative
    /// to the file's folder, an absolute path or `s3://` URI is read as it is.
    static func read(_ path: URL) throws -> LabelSet {
        let file = LabelFiles.file(path, orInFolder: annotationsName)
        let tasks: [Task]
        do {
            tasks = try JSONDecoder().decode([Task].self, from: try LabelFiles.read(file))
        } catch let error as DecodingError {
            throw LabelStoreError(.invalid, "\(file.path) is not a Label Studio JSON export (a list of tasks with data.image): \(error)")
        }
        let folder = file.deletingLastPathComponent()
        let classes = folder.appendingPathComponent(classesName)
        var categories =
            FileManager.default.fileExists(atPath: classes.path)
            ? try LabelFiles.readText(classes).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
        var items: [LabelSet.Item] = []
        for (index, task) in tasks.enumerated() {
            guard let annotation = task.annotations?.first else { continue }
            let place = "\(file.path) task \(task.id ?? index + 1)"
            let image = task.data.image
            let external = image.hasPrefix("/") || image.hasPrefix("s3://") || image.hasPrefix("file://")
            var item = LabelSet.Item(
                fileName: external ? SourceRef.fileName(of: image) : String(image.dropFirst(image.hasPrefix(imageFolder + "/") ? imageFolder.count + 1 : 0)),
                reference: external ? image : folder.appendingPathComponent(image).path,
                width: nil, height: nil, boxes: []
            )
            for result in annotation.result where result.type == "rectanglelabels" {
                let v = result.value
                guard let width = result.original_width, let height = result.original_height, width > 0, height > 0,
                    let x = v.x, let y = v.y, let w = v.width, let h = v.height, let name = v.rectanglelabels?.first
                else {
                    throw LabelStoreError(.invalid, "\(place): a rectanglelabels result needs original_width, original_height, x, y, width, height and a label")
                }
                guard (v.rotation ?? 0) == 0, (result.image_rotation ?? 0) == 0 else {
                    throw LabelStoreError(.invalid, "\(place): a rotated box cannot be a Ground Truth box; straighten it in Label Studio first")
                }
                if !categories.contains(name) { categories.append(name) }
                (item.width, item.height) = (width, height)
                item.boxes.append(
                    GroundTruthAnnotation(
                        classId: categories.firstIndex(of: name)!, left: pixels(x, of: width), top: pixels(y, of: height),
                        width: pixels(w, of: width), height: pixels(h, of: height)))
            }
            if item.boxes.isEmpty, !external {  // no result states the size: the image's own, as YOLO reads it
                let image = try PreparedImage(fileName: item.fileName, bytes: [UInt8](try LabelFiles.read(URL(fileURLWithPath: item.reference))))
                (item.width, item.height) = (image.width, image.height)
            }
            items.append(item)
        }
        return LabelSet(categories: categories, items: items)
    }

    /// `value` pixels of an axis `size` long in percent: the fewest significant digits from 17 up that `pixels`
    /// turns back into exactly `value` (`20` for 100 of 500).
    static func percent(_ value: Double, of size: Int) -> Decimal {
        let exact = NumberText.decimal(value) * 100 / Decimal(size)
        for digits in 17...38 {
            let candidate = NumberText.rounded(exact, significantDigits: digits)
            if pixels(candidate, of: size) == value { return candidate }
        }
        return exact
    }

    /// Pixels from a percentage of an axis `size` long.
    static func pixels(_ percent: Decimal, of size: Int) -> Double {
        NumberText.double(percent * Decimal(size) / 100, scale: size)
    }
}
