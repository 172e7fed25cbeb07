import Foundation
import GroundTruthFormat

/// What importing labels did.
public struct LabelImportReport: Sendable, Equatable {
    public let dataset: Dataset
    /// Labeled images in the file.
    public let images: Int
    /// Images the dataset did not have yet.
    public let imagesAdded: Int
    /// Images whose labels changed (the others already had exactly these labels).
    public let imagesRelabeled: Int
    public let boxesAdded: Int
    public let boxesDeleted: Int
    /// Classes the dataset did not have yet, appended after its own.
    public let categoriesAdded: [String]
}

extension LabelStore {
    /// The labels of a dataset's labeled images (those with boxes and those submitted with none), in import
    /// order, with the class names in class-id order.
    public func labelSet(of dataset: Dataset) throws -> LabelSet {
        try database.read { db in
            LabelSet(
                categories: try LabelCategory.fetchAll(datasetId: dataset.id, db).map(\.name),
                items: try Self.labeledImages(datasetId: dataset.id, db).map { labeled in
                    LabelSet.Item(
                        fileName: labeled.image.fileName,
                        reference: labeled.image.sourceRef ?? labeled.image.fileName,
                        width: labeled.image.width,
                        height: labeled.image.height,
                        boxes: labeled.boxes,
                        labeledAt: labeled.labeledAt,
                        origin: labeled.origin
                    )
                }
            )
        }
    }

    /// Writes a dataset's labeled images and their labels into `folder` in `format` (see `LabelFormat` for the
    /// layouts). The images written are the stored upright ones, so every reader agrees with the boxes.
    /// - Parameters:
    ///   - labelAttributeName: for `manifest`: the label's key and job name; default the dataset's name
    ///     (without `labeling-job/`).
    ///   - sourceRefPrefix: for `manifest`: what each `source-ref` starts with; default `images/`.
    ///   - progress: called after each image is read for writing, with how many are done and the total.
    /// - Returns: what was written.
    @discardableResult
    public func export(
        _ dataset: Dataset,
        as format: LabelFormat,
        to folder: URL,
        labelAttributeName: String? = nil,
        sourceRefPrefix: String? = nil,
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> LabelSet {
        let set = try labelSet(of: dataset)
        let images = Dictionary(uniqueKeysWithValues: try images(in: dataset, .labeled).map { ($0.fileName, $0.id) })
        var written = 0
        try Self.write(
            set, as: format, to: folder, labelAttributeName: labelAttributeName ?? Self.defaultLabelAttributeName(of: dataset),
            sourceRefPrefix: sourceRefPrefix
        ) { [self] item in
            let data = try imageBytes(id: images[item.fileName] ?? -1)
            written += 1
            progress(written, set.items.count)
            return data
        }
        return set
    }

    /// A manifest's label attribute name (and job name) for a dataset: its name, without `labeling-job/`.
    public static func defaultLabelAttributeName(of dataset: Dataset) -> String {
        String(dataset.name.dropFirst(dataset.name.hasPrefix("labeling-job/") ? "labeling-job/".count : 0))
    }

    /// Writes `set` into `folder` in `format`, reading each item's image with `imageBytes`: what an export does,
    /// wherever the images come from (this store, or the daemon's API for `ctl labels export`).
    /// - Parameter labelAttributeName: for `manifest`: the label's key and job name.
    public static func write(
        _ set: LabelSet, as format: LabelFormat, to folder: URL, labelAttributeName: String, sourceRefPrefix: String? = nil,
        imageBytes: (LabelSet.Item) throws -> [UInt8]
    ) throws {
        switch format {
        case .manifest:
            let options = GroundTruthManifestFiles.Options(labelAttributeName: labelAttributeName, jobName: labelAttributeName, sourceRefPrefix: sourceRefPrefix)
            try GroundTruthManifestFiles.write(set, to: folder, options: options, imageBytes: imageBytes)
        case .coco: try COCOFiles.write(set, to: folder, imageBytes: imageBytes)
        case .voc: try PascalVOCFiles.write(set, to: folder, imageBytes: imageBytes)
        case .yolo: try YOLOFiles.write(set, to: folder, imageBytes: imageBytes)
        case .labelstudio: try LabelStudioFiles.write(set, to: folder, imageBytes: imageBytes)
        }
    }

    /// Reads labels in `format` from `path` (the export folder, or for `manifest`/`coco` the file itself).
    /// - Parameter labelAttributeName: for `manifest`: the label to read; found from the file when there is one.
    /// - Throws: `LabelStoreError` (`.invalid`, `.notFound`) naming the file and what is wrong.
    public static func readLabels(_ format: LabelFormat, from path: URL, labelAttributeName: String? = nil) throws -> LabelSet {
        switch format {
        case .manifest: try GroundTruthManifestFiles.read(path, labelAttributeName: labelAttributeName)
        case .coco: try COCOFiles.read(path)
        case .voc: try PascalVOCFiles.read(path)
        case .yolo: try YOLOFiles.read(path)
        case .labelstudio: try LabelStudioFiles.read(path)
        }
    }

    /// Imports labels into the dataset called `datasetName` (created if needed), as one write: all of it or, if
    /// anything is wrong, none. Images the dataset lacks are added (deduplicated by content); each image's boxes
    /// become exactly the file's, through history entries that can be undone; classes are matched by name,
    /// new ones appended, so class ids never move.
    /// - Parameters:
    ///   - origin: who made these labels; default `.machine` when every item says so (a manifest's
    ///     `human-annotated: no`), else `.human`.
    ///   - loadImage: reads an item's `reference`; default: local files.
    /// - Throws: `LabelStoreError`: `.invalid` for an unreadable image, a size that disagrees with the image
    ///   (often an EXIF orientation the labels ignored) or a box outside its image; `.freeTierExhausted`.
    @discardableResult
    public func importLabels(
        _ set: LabelSet,
        into datasetName: String,
        origin: LabelOrigin? = nil,
        now: Date = Date(),
        loadImage: (String) throws -> [UInt8] = LocalImageFiles.load
    ) throws -> LabelImportReport {
        let prepared = try set.items.map { item in
            let image: PreparedImage
            do {
                image = try PreparedImage(fileName: item.fileName, bytes: try loadImage(item.reference))
            } catch let error as LabelStoreError {
                throw LabelStoreError(.invalid, "\(item.fileName): \(error.message)")
            }
            if let width = item.width, let height = item.height, (width, height) != (image.width, image.height) {
                let turned = image.orientation == .up ? "" : " after applying its EXIF orientation \(image.orientation.rawValue)"
                throw LabelStoreError(
                    .invalid,
                    "\(item.fileName): the labels say \(width)×\(height) but the image is \(image.width)×\(image.height)\(turned); the boxes would not fit it"
                )
            }
            return image
        }
        return try write(summary: "import labels of \(set.items.count) images", origin: origin ?? set.origin, now: now) { write in
            let dataset = try Self.ensureDataset(named: datasetName, now: now, write.db)
            let before = try LabelCategory.fetchAll(datasetId: dataset.id, write.db).map(\.name)
            let all = try Self.addCategories(set.categories, datasetId: dataset.id, write.db).map(\.name)
            let classIds = set.categories.map { all.firstIndex(of: $0)! }
            var added = 0
            var relabeled = Set<Int64>()
            for (item, image) in zip(set.items, prepared) {
                let addition = try Self.insert(image, datasetId: dataset.id, sourceRef: item.reference, now: now, write.db)
                if case .added = addition { added += 1 }
                let boxes = try item.boxes.map { box in
                    guard set.categories.indices.contains(box.classId) else {
                        throw LabelStoreError(
                            .invalid,
                            "\(item.fileName): class id \(box.classId) is not one of the \(set.categories.count) categories"
                        )
                    }
                    var box = box
                    box.classId = classIds[box.classId]
                    return box
                }
                let start = write.changes.count
                try write.replaceBoxes(imageId: addition.image.id, with: boxes)
                if write.changes.count > start { relabeled.insert(addition.image.id) }
            }
            return LabelImportReport(
                dataset: dataset,
                images: set.items.count,
                imagesAdded: added,
                imagesRelabeled: relabeled.count,
                boxesAdded: write.changes.filter { $0.action == .add }.count,
                boxesDeleted: write.changes.filter { $0.action == .delete }.count,
                categoriesAdded: all.filter { !before.contains($0) }
            )
        }
    }
}
