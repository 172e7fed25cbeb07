import AWSProtocol
import ArgumentParser
import Foundation
import JobService
import LabelStore

extension LabelFormat: ExpressibleByArgument {}

extension Labels {
    /// `ctl labels export`: a dataset's labels in a file format.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a dataset's labeled images and labels as a Ground Truth manifest, COCO, Pascal VOC or YOLO.",
            discussion: """
                Every labeled image is written, those with no box too; images are written upright, as stored. Layouts:
                  manifest  output.manifest + images/          (the exact Ground Truth output line, -metadata included)
                  coco      annotations.json + images/
                  voc       Annotations/*.xml + JPEGImages/ + classes.txt
                  yolo      labels/*.txt + images/ + classes.txt
                Coordinates round-trip exactly through every format (ctl labels import reads them back).
                  ctl labels export --dataset bees --format manifest ./out \\
                      --source-ref-prefix s3://bees/images/
                  ctl labels export --dataset bees --format yolo ./yolo-export
                """
        )

        @OptionGroup var connection: ConnectionOptions
        @Option(name: .shortAndLong, help: "The dataset.") var dataset: String
        @Option(help: "manifest, coco, voc, yolo or labelstudio.") var format: LabelFormat
        @Argument(help: "The folder to write into (created if missing).") var folder: String
        @Option(help: "manifest: the label attribute name and job name (default: the dataset's name).") var labelAttributeName: String?
        @Option(help: "manifest: what each source-ref starts with (default images/, relative to the manifest).") var sourceRefPrefix: String?
        @Flag(help: "Print a JSON summary.") var json = false

        func run() async throws {
            let client = try connection.client()
            var input: JSONValue = ["dataset": .string(dataset)]
            if let labelAttributeName { input["labelAttributeName"] = .string(labelAttributeName) }
            let answer = try JSONDecoder().decode(LabelExportAnswer.self, from: try await client.labelRequest("POST", "export", body: input.renderedBytes))
            let set = answer.set
            // The images come over the API first (the format writers read them synchronously), then the files are written.
            let progress = ProgressBar("exporting")
            var images: [String: [UInt8]] = [:]
            for (index, (item, id)) in zip(set.items, answer.imageIds).enumerated() {
                images[item.fileName] = [UInt8](try await client.labelRequest("GET", "images/\(id)"))
                progress.show(index + 1, of: set.items.count)
            }
            try storeCommand {
                try LabelStore.write(
                    set, as: format, to: URL(fileURLWithPath: folder), labelAttributeName: answer.labelAttributeName, sourceRefPrefix: sourceRefPrefix
                ) { images[$0.fileName] ?? [] }
            }
            progress.finish()
            let boxes = set.items.map(\.boxes.count).reduce(0, +)
            if json {
                JSONOutput.print(
                    .object(["images": .int(set.items.count), "boxes": .int(boxes), "format": .string(format.rawValue), "folder": .string(folder)])
                )
            } else {
                print("Exported \(set.items.count) labeled images with \(boxes) boxes as \(format.rawValue) into \(folder)")
            }
        }
    }

    /// `ctl labels import`: labels from a file format into a dataset.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read labels (and their images) from a Ground Truth manifest, COCO, Pascal VOC or YOLO export into a dataset.",
            discussion: """
                All or nothing: a bad box, an unreadable image or a size that disagrees with the image refuses the whole \
                import. Images the dataset lacks are added (deduplicated by content); each image's boxes become \
                exactly the file's, as changes that can be undone; classes are matched by name.
                  ctl labels import --dataset bees --format manifest ./bees/output.manifest
                  ctl labels import --dataset bees --format yolo ./yolo-export
                """
        )

        @OptionGroup var connection: ConnectionOptions
        @Option(name: .shortAndLong, help: "The dataset (created if missing).") var dataset: String
        @Option(help: "manifest, coco, voc, yolo or labelstudio.") var format: LabelFormat
        @Argument(help: "The export folder, or for manifest and coco the file itself.") var path: String
        @Option(help: "manifest: the label attribute to read (default: the only one there is).") var labelAttributeName: String?
        @Flag(help: "The labels are machine-made (a model's predictions, a generator's ground truth): Ground Truth's human-annotated \"no\", counted in MachineLabeled. A manifest whose lines all say human-annotated \"no\" is taken as machine-made anyway.")
        var machineLabeled = false
        @Flag(help: "Print a JSON summary.") var json = false

        func run() async throws {
            // The files are read here, on the client's machine; s3:// images the daemon reads from its object store.
            let body = try storeCommand {
                let set = try LabelStore.readLabels(format, from: URL(fileURLWithPath: path), labelAttributeName: labelAttributeName)
                var images: [String: Data] = [:]
                for item in set.items where !item.reference.hasPrefix("s3://") {
                    do {
                        images[item.reference] = Data(try LocalImageFiles.load(item.reference))
                    } catch let error as LabelStoreError {
                        throw LabelStoreError(.invalid, "\(item.fileName): \(error.message)")
                    }
                }
                return LabelImportBody(dataset: dataset, origin: machineLabeled ? .machine : nil, set: set, images: images)
            }
            let data = try await connection.client().labelRequest("POST", "import", body: Array(try JSONEncoder().encode(body)))
            if json { return JSONOutput.print(answer: data) }
            let report = (try? JSONValue.parse(data)) ?? [:]
            let added = (report["categoriesAdded"]?.arrayValue ?? []).compactMap(\.stringValue)
            let count = { (name: String) in report[name]?.intValue ?? 0 }
            print(
                "Imported \(count("images")) labeled images into \(dataset): \(count("imagesAdded")) new, \(count("imagesRelabeled")) relabeled; "
                    + "\(count("boxesAdded")) boxes added, \(count("boxesDeleted")) removed"
                    + (added.isEmpty ? "" : "; new classes: " + added.joined(separator: ", "))
            )
        }
    }
}
