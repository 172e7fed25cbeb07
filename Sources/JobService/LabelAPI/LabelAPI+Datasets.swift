import AWSProtocol
import Foundation
import LabelStore

/// `POST /_apiary/labels/datasets/import`'s body: image files read on the client's machine, a batch at a time.
public struct DatasetImportBody: Codable, Sendable {
    public struct File: Codable, Sendable {
        /// The name in the dataset: the path relative to the imported folder.
        public var fileName: String
        public var sourceRef: String?
        public var bytes: Data

        public init(fileName: String, sourceRef: String?, bytes: Data) {
            self.fileName = fileName
            self.sourceRef = sourceRef
            self.bytes = bytes
        }
    }

    public var dataset: String
    public var files: [File]

    public init(dataset: String, files: [File]) {
        self.dataset = dataset
        self.files = files
    }
}

/// The `ctl datasets` operations: list (`datasets`), a seeded random sample (`datasets/sample`) and image import
/// (`datasets/import`), so ctl never opens the label store itself.
extension LabelAPI {
    /// Every dataset with its images, labeled images, boxes and classes.
    func datasets() throws -> JSONValue {
        .array(
            try store.datasets().map { dataset in
                let stats = try store.stats(of: dataset)
                return [
                    "name": .string(dataset.name), "images": .int(stats.images), "labeledImages": .int(stats.labeledImages), "boxes": .int(stats.boxes),
                    "classes": .array(stats.classes.map { .string($0.category.name) }),
                ]
            })
    }

    /// `{"dataset", "percent", "seed", "sourceRefPrefix"}` → `{"manifest", "kept", "total"}`; the seed is a number
    /// or, for the whole 64-bit range, a string of digits.
    func sample(_ input: JSONValue) throws -> JSONValue {
        guard let name = input["dataset"]?.stringValue else { throw AWSError.validation("\"dataset\" is missing.") }
        let percent = input["percent"]?.doubleValue ?? RandomSample.defaultPercent
        guard percent > 0, percent <= 100 else { throw AWSError.validation("\"percent\" must be greater than 0 and at most 100.") }
        let sample = try store.sampleManifest(
            of: try store.dataset(named: name), percent: percent, seed: input["seed"]?.stringValue.flatMap { UInt64($0) } ?? UInt64(max(0, input["seed"]?.intValue ?? 0)),
            sourceRefPrefix: input["sourceRefPrefix"]?.stringValue)
        return ["manifest": .string(sample.text), "kept": .int(sample.kept), "total": .int(sample.total)]
    }

    /// Stores each file as `LabelStore.importFolder` does — upright, deduplicated by content, a bad file reported
    /// and skipped — into the dataset (created if missing).
    func importImages(_ body: DatasetImportBody) throws -> JSONValue {
        let dataset = try store.ensureDataset(named: body.dataset)
        var added: [JSONValue] = []
        var duplicates: [JSONValue] = []
        var skipped: [JSONValue] = []
        for file in body.files {
            do {
                switch try store.addImage(bytes: [UInt8](file.bytes), fileName: file.fileName, sourceRef: file.sourceRef, to: dataset) {
                case .added(let image): added.append(LabelCommandJSON.image(image))
                case .duplicate(let existing):
                    duplicates.append([
                        "fileName": .string(file.fileName), "existing": .int(Int(existing.id)), "existingFileName": .string(existing.fileName),
                    ])
                }
            } catch let error as LabelStoreError {
                skipped.append(["fileName": .string(file.fileName), "reason": .string(error.message)])
            }
        }
        return ["dataset": .string(dataset.name), "added": .array(added), "duplicates": .array(duplicates), "skipped": .array(skipped)]
    }
}
