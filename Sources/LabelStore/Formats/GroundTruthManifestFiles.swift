import Foundation
import GroundTruthFormat

/// The `manifest` format: a Ground Truth augmented manifest, `output.manifest`, exactly as a labeling job writes
/// it, with the images in `images/`.
enum GroundTruthManifestFiles {
    static let manifestName = "output.manifest"
    static let imageFolder = "images"

    /// How the manifest names things.
    struct Options {
        /// The label's key, e.g. `bees`; its metadata is `<name>-metadata`.
        var labelAttributeName: String
        /// Written as `job-name: labeling-job/<jobName>`.
        var jobName: String
        /// Each `source-ref` is this followed by the image's name; default `images/` (relative to the manifest).
        /// Training jobs read `s3://` source-refs: give the bucket and prefix the images are uploaded to.
        var sourceRefPrefix: String?
    }

    static func write(_ set: LabelSet, to folder: URL, options: Options, imageBytes: (LabelSet.Item) throws -> [UInt8]) throws {
        let prefix = options.sourceRefPrefix ?? imageFolder + "/"
        let lines = set.items.map { item in
            GroundTruthLabelLine.line(
                sourceRef: prefix + item.fileName,
                labelAttributeName: options.labelAttributeName,
                jobName: options.jobName,
                width: item.width ?? 0,
                height: item.height ?? 0,
                boxes: item.boxes,
                categories: set.categories,
                labeledAt: item.labeledAt ?? Date(),
                origin: item.origin
            )
        }
        try LabelFiles.writeImages(of: set, into: folder.appendingPathComponent(imageFolder), imageBytes: imageBytes)
        try LabelFiles.write(try GroundTruthManifest.encode(lines), to: folder.appendingPathComponent(manifestName))
    }

    /// Reads a manifest (`path` is the file, or a folder holding `output.manifest`). Lines without the label are
    /// not labeled images and are left out. A relative `source-ref` is relative to the manifest's folder.
    /// - Parameter labelAttributeName: the label to read; found from the lines when `nil` and there is only one.
    static func read(_ path: URL, labelAttributeName: String?) throws -> LabelSet {
        let file = LabelFiles.file(path, orInFolder: manifestName)
        let text = try LabelFiles.readText(file)
        let attribute = try labelAttributeName ?? self.labelAttributeName(in: text, file: file)
        let lines: [GroundTruthManifestLine]
        do {
            lines = try GroundTruthManifest.parse(text, labelAttributeName: attribute)
        } catch let error as GroundTruthManifestError {
            throw LabelStoreError(.invalid, "\(file.path): \(error)")
        }
        var names: [Int: String] = [:]
        var items: [LabelSet.Item] = []
        for (number, line) in lines.enumerated() {
            guard let label = line.label else { continue }
            for (id, name) in line.metadata?.classMap ?? [:] {
                guard let id = Int(id) else { continue }
                if let known = names[id], known != name {
                    throw LabelStoreError(.invalid, "\(file.path): class \(id) is called both '\(known)' and '\(name)' in its class-maps")
                }
                names[id] = name
            }
            for box in label.annotations where names[box.classId] == nil {
                throw LabelStoreError(
                    .invalid,
                    "\(file.path), labeled line \(number + 1): class_id \(box.classId) has no name; add it to the line's \"class-map\""
                )
            }
            let (fileName, reference) = locate(line.sourceRef, relativeTo: file.deletingLastPathComponent())
            items.append(
                LabelSet.Item(
                    fileName: fileName,
                    reference: reference,
                    width: label.imageSize.first?.width,
                    height: label.imageSize.first?.height,
                    boxes: label.annotations,
                    origin: line.metadata?.humanAnnotated == "no" ? .machine : .human
                )
            )
        }
        let count = (names.keys.max() ?? -1) + 1
        guard let missing = (0..<count).first(where: { names[$0] == nil }) else {
            return LabelSet(categories: (0..<count).map { names[$0]! }, items: items)
        }
        throw LabelStoreError(.invalid, "\(file.path): the class-maps name no class \(missing); class ids must run 0, 1, 2, … without gaps")
    }

    /// An image's name and where to read it, from its `source-ref`: `images/a.jpg` → `a.jpg` in the manifest's
    /// `images/` folder; a URI or absolute path keeps its path (without scheme and bucket) as the name.
    private static func locate(_ sourceRef: String, relativeTo folder: URL) -> (fileName: String, reference: String) {
        if sourceRef.contains("://") || sourceRef.hasPrefix("/") {
            return (SourceRef.fileName(of: sourceRef), sourceRef)
        }
        let name = sourceRef.hasPrefix(imageFolder + "/") ? String(sourceRef.dropFirst(imageFolder.count + 1)) : sourceRef
        return (name, folder.appendingPathComponent(sourceRef).path)
    }

    /// The one label attribute of a manifest: a key `K` with a `K-metadata` beside it.
    private static func labelAttributeName(in text: String, file: URL) throws -> String {
        var found: Set<String> = []
        for line in text.split(separator: "\n") {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { continue }
            for key in object.keys where key.hasSuffix("-metadata") && object[String(key.dropLast("-metadata".count))] != nil {
                found.insert(String(key.dropLast("-metadata".count)))
            }
        }
        guard found.count == 1, let name = found.first else {
            let which =
                found.isEmpty
                ? "no label attribute (a key with a -metadata beside it)" : "several label attributes: " + found.sorted().joined(separator: ", ")
            throw LabelStoreError(.invalid, "\(file.path) has \(which); say which to read with --label-attribute-name")
        }
        return name
    }
}
