import AWSProtocol
import ArgumentParser
import Foundation
import JobService
import LabelStore

extension Datasets {
    /// `ctl datasets import FOLDER|s3://bucket/prefix/`: images into the label store.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a folder of JPEG and PNG images, or an s3:// prefix of the daemon's, into a dataset of the label store.",
            discussion: """
                Every file under the folder is tried: images are stored upright (EXIF orientation applied once) and \
                deduplicated by SHA-256; a file that is not a usable image is reported with its reason and skipped — \
                the import never stops half-way, and running it again adds only what is new.
                  ctl datasets import ./bees/images --dataset bees
                  ctl datasets import ./bees/images --dataset bees \\
                      --source-ref-prefix s3://bees/images/
                  ctl datasets import s3://bees/images/ --dataset bees   # the daemon's S3
                From s3://, every object under the prefix is read (path-style, signed like the aws CLI); each image's \
                source-ref is its s3:// URI unless --source-ref-prefix says otherwise.
                """
        )

        @OptionGroup var store: StoreOptions
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The folder of images, or s3://bucket/prefix/ on the daemon.") var folder: String
        @Option(name: .shortAndLong, help: "The dataset to import into (created if missing).") var dataset: String
        @Option(help: "Record each image's source-ref as this prefix + its path in the folder (default: the file's path; from s3://, its URI).")
        var sourceRefPrefix: String?
        @Flag(help: "Print the report as JSON.") var json = false

        func run() async throws {
            if !folder.hasPrefix("s3://") { try InputFiles.requireReadable(folder, "image folder", folder: true) }
            let store = try store.open()
            let start = Date()
            var location = URL(fileURLWithPath: folder)
            var sourceRefPrefix = sourceRefPrefix
            var unusableKeys: [(key: String, reason: String)] = []
            var download: S3FolderDownload?
            if folder.hasPrefix("s3://") {
                let copy = try await S3FolderDownload.download(folder, client: connection.client())
                (location, unusableKeys, download) = (copy.folder, copy.skipped, copy)
                sourceRefPrefix = sourceRefPrefix ?? copy.uri
            }
            defer { download?.remove() }
            let progress = ProgressBar("importing")
            let report = try storeCommand {
                try store.importFolder(location, into: dataset, sourceRefPrefix: sourceRefPrefix) { progress.show($0, of: $1) }
            }
            progress.finish()
            let seconds = Date().timeIntervalSince(start)
            if json {
                JSONOutput.print(
                    .object([
                        "dataset": .string(dataset), "added": .array(report.added.map { LabelCommandJSON.image($0) }),
                        "duplicates": .array(
                            report.duplicates.map { .object(["fileName": .string($0.fileName), "existing": .int(Int($0.existing.id))]) }
                        ),
                        "skipped": .array(
                            report.skipped.map { .object(["fileName": .string($0.fileName), "reason": .string($0.reason)]) }
                                + unusableKeys.map { .object(["fileName": .string($0.key), "reason": .string($0.reason)]) }
                        ),
                    ])
                )
                return
            }
            let turned = report.added.filter { $0.orientation != .up }.count
            print(
                "Imported \(report.added.count) images into \(dataset) in \(String(format: "%.1f", seconds)) s; \(report.duplicates.count) already there, "
                    + "\(report.skipped.count + unusableKeys.count) skipped"
                    + (turned > 0 ? "; \(turned) turned upright from their EXIF orientation" : "")
            )
            for duplicate in report.duplicates where duplicate.fileName != duplicate.existing.fileName {
                print("  \(duplicate.fileName) is the same image as \(duplicate.existing.fileName)")
            }
            for skipped in report.skipped { print("  skipped \(skipped.fileName): \(skipped.reason)") }
            for skipped in unusableKeys { print("  skipped key \(skipped.key): \(skipped.reason)") }
        }
    }
}
