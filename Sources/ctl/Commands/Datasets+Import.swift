import AWSProtocol
import ArgumentParser
import Foundation
import JobService
import LabelStore

extension Datasets {
    /// `ctl datasets import FOLDER|s3://bucket/prefix/`: images into the label store.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a folder of JPEG and PNG images, or an s3:// prefix of the daemon's, into a dataset of the daemon's label store.",
            discussion: """
                Every file under the folder is tried: images are stored upright (EXIF orientation applied once) and \
                deduplicated by SHA-256; a file that is not a usable image is reported with its reason and skipped — \
                the import never stops half-way, and running it again adds only what is new.
                  ctl datasets import ./bees/images --dataset bees
                  ctl datasets import ./bees/images --dataset bees \\
                      --source-ref-prefix s3://bees/images/
                  ctl datasets import s3://bees/images/ --dataset bees   # the daemon's S3
                From s3://, every object under the prefix is read (path-style, signed like the aws CLI); each image's \
                source-ref is its s3:// URI unless --source-ref-prefix says otherwise. The files are read here and sent to \
                the daemon at $APIARY_URL (or --endpoint-url), which owns the label store.
                """
        )

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The folder of images, or s3://bucket/prefix/ on the daemon.") var folder: String
        @Option(name: .shortAndLong, help: "The dataset to import into (created if missing).") var dataset: String
        @Option(help: "Record each image's source-ref as this prefix + its path in the folder (default: the file's path; from s3://, its URI).")
        var sourceRefPrefix: String?
        @Flag(help: "Print the report as JSON.") var json = false

        /// Files go to the daemon in requests of about this many bytes.
        static let batchBytes = 16 * 1024 * 1024

        func run() async throws {
            if !folder.hasPrefix("s3://") { try InputFiles.requireReadable(folder, "image folder", folder: true) }
            let client = try connection.client()
            let start = Date()
            var location = URL(fileURLWithPath: folder)
            var sourceRefPrefix = sourceRefPrefix
            var skipped: [JSONValue] = []
            var download: S3FolderDownload?
            if folder.hasPrefix("s3://") {
                let copy = try await S3FolderDownload.download(folder, client: client)
                (location, download) = (copy.folder, copy)
                skipped = copy.skipped.map { ["fileName": .string($0.key), "reason": .string($0.reason)] }
                sourceRefPrefix = sourceRefPrefix ?? copy.uri
            }
            defer { download?.remove() }
            // The daemon stores the images (the one process that opens the label store), a batch per request; the
            // first, empty one makes the dataset and finds out at once whether the daemon answers.
            var added: [JSONValue] = []
            var duplicates: [JSONValue] = []
            var batch: [DatasetImportBody.File] = []
            var batchSize = 0
            var files: [String] = []
            let progress = ProgressBar("importing")
            func send(upTo done: Int) async throws {
                let body = try JSONEncoder().encode(DatasetImportBody(dataset: dataset, files: batch))
                let answer = try JSONValue.parse(try await client.labelRequest("POST", "datasets/import", body: [UInt8](body)))
                added += answer["added"]?.arrayValue ?? []
                duplicates += answer["duplicates"]?.arrayValue ?? []
                skipped += answer["skipped"]?.arrayValue ?? []
                (batch, batchSize) = ([], 0)
                if done > 0 { progress.show(done, of: files.count) }
            }
            try await send(upTo: 0)
            files = try InputFiles.read { try LabelStore.importableFiles(under: location) }
            for (index, path) in files.enumerated() {
                let url = location.appendingPathComponent(path)
                do {
                    let bytes = try LabelStore.read(url)
                    batch.append(.init(fileName: path, sourceRef: sourceRefPrefix.map { $0 + path } ?? url.path, bytes: Data(bytes)))
                    batchSize += bytes.count
                } catch let error as LabelStoreError {
                    skipped.append(["fileName": .string(path), "reason": .string(error.message)])
                }
                if batchSize >= Self.batchBytes || index == files.count - 1 { try await send(upTo: index + 1) }
            }
            progress.finish()
            let seconds = Date().timeIntervalSince(start)
            if json {
                JSONOutput.print(["dataset": .string(dataset), "added": .array(added), "duplicates": .array(duplicates), "skipped": .array(skipped)])
                return
            }
            let turned = added.filter { $0["orientation"]?.intValue != 1 }.count
            print(
                "Imported \(added.count) images into \(dataset) in \(String(format: "%.1f", seconds)) s; \(duplicates.count) already there, "
                    + "\(skipped.count) skipped"
                    + (turned > 0 ? "; \(turned) turned upright from their EXIF orientation" : "")
            )
            for duplicate in duplicates where duplicate["fileName"] != duplicate["existingFileName"] {
                print("  \(duplicate["fileName"]?.stringValue ?? "") is the same image as \(duplicate["existingFileName"]?.stringValue ?? "")")
            }
            for file in skipped { print("  skipped \(file["fileName"]?.stringValue ?? ""): \(file["reason"]?.stringValue ?? "")") }
        }
    }
}
