import Foundation
import GroundTruthFormat

/// The `yolo` format: `labels/<name>.txt` per labeled image (empty for an image with no box) with one
/// `class cx cy w h` line per box, normalised to the upright image and so within [0, 1]; `classes.txt`, one
/// name per line in class-id order; images in `images/`.
///
/// Numbers are decimals of 17 significant digits or fewer (more only if needed) that read back, through
/// `cx·W − w·W/2`, to exactly the stored pixel coordinates (`0.25` for a whole-pixel box).
enum YOLOFiles {
    static let labelFolder = "labels"
    static let imageFolder = "images"
    static let classesName = "classes.txt"

    static func write(_ set: LabelSet, to folder: URL, imageBytes: (LabelSet.Item) throws -> [UInt8]) throws {
        for item in set.items {
            let (width, height) = (item.width ?? 1, item.height ?? 1)
            let lines = item.boxes.map { box in
                let x = normalised(start: box.left, length: box.width, size: width)
                let y = normalised(start: box.top, length: box.height, size: height)
                return "\(box.classId) \(x.centre) \(y.centre) \(x.extent) \(y.extent)\n"
            }
            try LabelFiles.write(
                lines.joined(),
                to: folder.appendingPathComponent(labelFolder).appendingPathComponent(LabelFiles.stem(item.fileName) + ".txt")
            )
        }
        try LabelFiles.write(set.categories.map { $0 + "\n" }.joined(), to: folder.appendingPathComponent(classesName))
        try LabelFiles.writeImages(of: set, into: folder.appendingPathComponent(imageFolder), imageBytes: imageBytes)
    }

    /// Reads every image under `images/` with its `labels/<name>.txt` (a missing file means no box, YOLO's
    /// convention for background images). YOLO stores no size, so each image is decoded for its upright size.
    static func read(_ folder: URL) throws -> LabelSet {
        let categories = try LabelFiles.readText(folder.appendingPathComponent(classesName)).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let images = folder.appendingPathComponent(imageFolder)
        var items: [LabelSet.Item] = []
        for fileName in try LabelFiles.files(under: images) {
            let reference = images.appendingPathComponent(fileName)
            let image: PreparedImage
            do {
                image = try PreparedImage(fileName: fileName, bytes: [UInt8](try LabelFiles.read(reference)))
            } catch let error as LabelStoreError {
                throw LabelStoreError(.invalid, "\(reference.path): \(error.message)")
            }
            let labelFile = folder.appendingPathComponent(labelFolder).appendingPathComponent(LabelFiles.stem(fileName) + ".txt")
            let text = FileManager.default.fileExists(atPath: labelFile.path) ? try LabelFiles.readText(labelFile) : ""
            var boxes: [GroundTruthAnnotation] = []
            for (number, line) in text.split(separator: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                let numbers = fields.dropFirst().compactMap(NumberText.parse)
                guard fields.count == 5, numbers.count == 4, let classId = Int(fields[0]), categories.indices.contains(classId) else {
                    throw LabelStoreError(
                        .invalid,
                        "\(labelFile.path) line \(number + 1): expected 'class cx cy w h' with a class of classes.txt (0–\(categories.count - 1)), got '\(line)'"
                    )
                }
                let x = pixels(centre: numbers[0], extent: numbers[2], size: image.width)
                let y = pixels(centre: numbers[1], extent: numbers[3], size: image.height)
                boxes.append(GroundTruthAnnotation(classId: classId, left: x.start, top: y.start, width: x.length, height: y.length))
            }
            items.append(LabelSet.Item(fileName: fileName, reference: reference.path, width: image.width, height: image.height, boxes: boxes))
        }
        return LabelSet(categories: categories, items: items)
    }

    /// `[start, start + length)` on an axis `size` pixels long as YOLO's normalised centre and extent, rounded to
    /// the fewest significant digits from 17 up that `pixels` turns back into exactly `start` and `length`
    /// (a short exact quotient stays short: `0.25`).
    static func normalised(start: Double, length: Double, size: Int) -> (centre: String, extent: String) {
        let (s, l, n) = (NumberText.decimal(start), NumberText.decimal(length), Decimal(size))
        let centre = (s + l / 2) / n
        let extent = l / n
        for digits in 17...38 {
            let c = NumberText.rounded(centre, significantDigits: digits)
            let e = NumberText.rounded(extent, significantDigits: digits)
            let back = pixels(centre: c, extent: e, size: size)
            if back.start == start, back.length == length { return (NumberText.plain(c), NumberText.plain(e)) }
        }
        return (NumberText.plain(centre), NumberText.plain(extent))
    }

    /// Pixels from YOLO's normalised centre and extent.
    static func pixels(centre: Decimal, extent: Decimal, size: Int) -> (start: Double, length: Double) {
        let n = Decimal(size)
        let length = extent * n
        return (NumberText.double(centre * n - length / 2, scale: size), NumberText.double(length, scale: size))
    }
}
