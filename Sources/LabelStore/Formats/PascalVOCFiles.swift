import Foundation
import GroundTruthFormat

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The `voc` format: Pascal VOC XML, one `Annotations/<name>.xml` per labeled image (empty ones included) with
/// its real `<size>` and `xmin, ymin, xmax, ymax` in pixels (`xmax = left + width`, written exactly); images in
/// `JPEGImages/`; `classes.txt` keeps the class order, which VOC itself does not record.
enum PascalVOCFiles {
    static let annotationFolder = "Annotations"
    static let imageFolder = "JPEGImages"
    static let classesName = "classes.txt"

    static func write(_ set: LabelSet, to folder: URL, imageBytes: (LabelSet.Item) throws -> [UInt8]) throws {
        for item in set.items {
            var xml = "<annotation>\n"
            xml += "\t<folder>\(imageFolder)</folder>\n"
            xml += "\t<filename>\(escape(item.fileName))</filename>\n"
            xml += "\t<size>\n\t\t<width>\(item.width ?? 0)</width>\n\t\t<height>\(item.height ?? 0)</height>\n\t\t<depth>3</depth>\n\t</size>\n"
            xml += "\t<segmented>0</segmented>\n"
            for box in item.boxes {
                let corners = [
                    ("xmin", NumberText.decimal(box.left)), ("ymin", NumberText.decimal(box.top)),
                    ("xmax", NumberText.decimal(box.left) + NumberText.decimal(box.width)),
                    ("ymax", NumberText.decimal(box.top) + NumberText.decimal(box.height)),
                ]
                xml += "\t<object>\n\t\t<name>\(escape(set.categories[box.classId]))</name>\n"
                xml += "\t\t<pose>Unspecified</pose>\n\t\t<truncated>0</truncated>\n\t\t<difficult>0</difficult>\n\t\t<bndbox>\n"
                for (name, value) in corners { xml += "\t\t\t<\(name)>\(NumberText.plain(value))</\(name)>\n" }
                xml += "\t\t</bndbox>\n\t</object>\n"
            }
            xml += "</annotation>\n"
            try LabelFiles.write(
                xml,
                to: folder.appendingPathComponent(annotationFolder).appendingPathComponent(LabelFiles.stem(item.fileName) + ".xml")
            )
        }
        try LabelFiles.write(set.categories.map { $0 + "\n" }.joined(), to: folder.appendingPathComponent(classesName))
        try LabelFiles.writeImages(of: set, into: folder.appendingPathComponent(imageFolder), imageBytes: imageBytes)
    }

    /// Reads every `Annotations/**/*.xml` under `folder`. Classes come in `classes.txt` order when it exists, then
    /// in order of first appearance.
    static func read(_ folder: URL) throws -> LabelSet {
        let classesFile = folder.appendingPathComponent(classesName)
        var categories =
            FileManager.default.fileExists(atPath: classesFile.path)
            ? try LabelFiles.readText(classesFile).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
        let annotations = folder.appendingPathComponent(annotationFolder)
        var items: [LabelSet.Item] = []
        for name in try LabelFiles.files(under: annotations) where name.hasSuffix(".xml") {
            let file = annotations.appendingPathComponent(name)
            let parsed = VOCAnnotationParser()
            let parser = XMLParser(data: try LabelFiles.read(file))
            parser.delegate = parsed
            guard parser.parse(), let width = Int(parsed.text["size/width"] ?? ""), let height = Int(parsed.text["size/height"] ?? "") else {
                throw LabelStoreError(
                    .invalid,
                    "\(file.path) is not a Pascal VOC annotation with a <size> (\(parser.parserError.map { "\($0)" } ?? "no size"))"
                )
            }
            let fileName = parsed.text["filename"] ?? LabelFiles.stem(name) + ".jpg"
            var boxes: [GroundTruthAnnotation] = []
            for object in parsed.objects {
                let corners = ["xmin", "ymin", "xmax", "ymax"].compactMap { object["bndbox/" + $0].flatMap(NumberText.parse) }
                guard let className = object["name"], corners.count == 4 else {
                    throw LabelStoreError(.invalid, "\(file.path): an <object> needs a <name> and a <bndbox> with numeric xmin, ymin, xmax, ymax")
                }
                let (xmin, ymin, xmax, ymax) = (corners[0], corners[1], corners[2], corners[3])
                if !categories.contains(className) { categories.append(className) }
                boxes.append(
                    GroundTruthAnnotation(
                        classId: categories.firstIndex(of: className)!,
                        left: NumberText.double(xmin, scale: width),
                        top: NumberText.double(ymin, scale: height),
                        width: NumberText.double(xmax - xmin, scale: width),
                        height: NumberText.double(ymax - ymin, scale: height)
                    )
                )
            }
            items.append(
                LabelSet.Item(
                    fileName: fileName,
                    reference: folder.appendingPathComponent(imageFolder).appendingPathComponent(fileName).path,
                    width: width,
                    height: height,
                    boxes: boxes
                )
            )
        }
        return LabelSet(categories: categories, items: items)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// Collects a VOC annotation's text by path below `<annotation>` (`filename`, `size/width`), and each
/// `<object>`'s by path below it (`name`, `bndbox/xmin`).
private final class VOCAnnotationParser: NSObject, XMLParserDelegate {
    var text: [String: String] = [:]
    var objects: [[String: String]] = []
    private var path: [String] = []
    private var characters = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:])
    {
        path.append(name)
        characters = ""
        if path == ["annotation", "object"] { objects.append([:]) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        characters += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let value = characters.trimmingCharacters(in: .whitespacesAndNewlines)
        if path.count > 2, path[1] == "object" {
            objects[objects.count - 1][path.dropFirst(2).joined(separator: "/")] = value
        } else if path.count > 1 {
            text[path.dropFirst().joined(separator: "/")] = value
        }
        path.removeLast()
        characters = ""
    }
}
