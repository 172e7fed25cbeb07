import AWSProtocol
import ArgumentParser
import Foundation
import LabelStore

extension Datasets {
    /// `ctl datasets import FOLDER`: images into the label store.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a folder of JPEG and PNG images into a dataset of the label store.",
            discussion: """
                Every file under the folder is tried: images are stored upright (EXIF orientation applied once) and \
                deduplicated by SHA-256; a file that is not a usable image is reported with its reason and skipped — \
                the import never stops half-way, and running it again adds only what is new.
                  ctl datasets import ./bees/images --dataset bees
                  ctl datasets import ./bees/images --dataset bees --source-ref-prefix s3://bees/images/
                Importing straight from s3:// waits for the object store to be wired in; copy the images locally first.
                """
        )

        @OptionGroup var store: StoreOptions
        @Argument(help: "The folder of images.") var folder: String
        @Option(name: .shortAndLong, help: "The dataset to import into (created if missing).") var dataset: String
        @Option(help: "Record each image's source-ref as this prefix + its path in the folder (default: the file's path).") var sourceRefPrefix:
            String?
        @Flag(help: "Print the report as JSON.") var json = false

        func validate() throws {
            if folder.hasPrefix("s3://") {
                throw ValidationError("importing from s3:// waits for the object store to be wired in; copy the images into a folder and import that")
            }
        }

        func run() throws {
            let store = try store.open()
            let start = Date()
            let report = try storeCommand {
                try store.importFolder(URL(fileURLWithPath: folder), into: dataset, sourceRefPrefix: sourceRefPrefix)
            }
            let seconds = Date().timeIntervalSince(start)
            if json {
                JSONOutput.print(
                    .object([
                        "dataset": .string(dataset), "added": .array(report.added.map { LabelText.json($0) }),
                        "duplicates": .array(
                            report.duplicates.map { .object(["fileName": .string($0.fileName), "existing": .int(Int($0.existing.id))]) }
                        ),
                        "skipped": .array(report.skipped.map { .object(["fileName": .string($0.fileName), "reason": .string($0.reason)]) }),
                    ])
                )
                return
            }
            let turned = report.added.filter { $0.orientation != .up }.count
            print(
                "Imported \(report.added.count) images into \(dataset) in \(String(format: "%.1f", seconds)) s; \(report.duplicates.count) already there, "
                    + "\(report.skipped.count) skipped" + (turned > 0 ? "; \(turned) turned upright from their EXIF orientation" : "")
            )
            for duplicate in report.duplicates where duplicate.fileName != duplicate.existing.fileName {
                print("  \(duplicate.fileName) is the same image as \(duplicate.existing.fileName)")
            }
            for skipped in report.skipped { print("  skipped \(skipped.fileName): \(skipped.reason)") }
        }
    }
}
