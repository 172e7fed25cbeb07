import Foundation

/// What importing a folder did, file by file. An import never stops at a bad file: each file is stored whole
/// (one transaction) or skipped with its reason.
public struct FolderImportReport: Sendable {
    /// A file that was not imported, and why.
    public struct Skipped: Sendable, Equatable {
        public let fileName: String
        public let reason: String
    }

    /// A file whose content the dataset already had.
    public struct Duplicate: Sendable, Equatable {
        public let fileName: String
        public let existing: StoredImage
    }

    public let dataset: Dataset
    public internal(set) var added: [StoredImage] = []
    public internal(set) var duplicates: [Duplicate] = []
    public internal(set) var skipped: [Skipped] = []
}

extension LabelStore {
    /// Imports every file under `folder` (recursively, hidden files excepted, in path order) into the dataset
    /// called `datasetName`, creating it if needed. Each image is stored with its upright pixels and size; a file
    /// already in the dataset (same SHA-256) is reported as a duplicate; a file that is not a usable JPEG or PNG
    /// is reported with its reason and skipped. Running the same import again adds nothing.
    /// - Parameters:
    ///   - sourceRefPrefix: recorded as each image's `source-ref` followed by its relative path (for example
    ///     `s3://bees/images/` when the folder is also uploaded there); default: the file's absolute path.
    ///   - progress: called after each file with (files done, files in all).
    /// - Throws: `LabelStoreError` (`.notFound`) when `folder` is not a folder; never for a bad file.
    public func importFolder(
        _ folder: URL,
        into datasetName: String,
        sourceRefPrefix: String? = nil,
        now: Date = Date(),
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> FolderImportReport {
        let files = try LabelFiles.files(under: folder).map { (url: folder.appendingPathComponent($0), relativePath: $0) }
        var report = FolderImportReport(dataset: try ensureDataset(named: datasetName, now: now))
        for (done, file) in files.enumerated() {
            do {
                let bytes = try Self.read(file.url)
                let sourceRef = sourceRefPrefix.map { $0 + file.relativePath } ?? file.url.path
                switch try addImage(bytes: bytes, fileName: file.relativePath, sourceRef: sourceRef, to: report.dataset, now: now) {
                case .added(let image): report.added.append(image)
                case .duplicate(let existing): report.duplicates.append(.init(fileName: file.relativePath, existing: existing))
                }
            } catch let error as LabelStoreError {
                report.skipped.append(.init(fileName: file.relativePath, reason: error.message))
            }
            progress(done + 1, files.count)
        }
        return report
    }

    /// The files an import of `folder` tries (paths relative to it, sorted; hidden files excepted), for a client
    /// that sends them to the daemon's store.
    /// - Throws: `LabelStoreError` (`.notFound`) when `folder` is not a folder.
    public static func importableFiles(under folder: URL) throws -> [String] { try LabelFiles.files(under: folder) }

    /// A file's bytes. - Throws: `LabelStoreError.invalid` with the reason it cannot be read.
    public static func read(_ url: URL) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw LabelStoreError(.invalid, "cannot read the file (\(error.localizedDescription))")
        }
    }
}
