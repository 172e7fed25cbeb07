import AWSProtocol
import ArgumentParser
import Foundation
import LabelStore

extension LabelFormat: ExpressibleByArgument {}

extension Labels {
    /// `ctl labels export`: a dataset's labels in a file format.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a dataset's labeled images and labels as a Ground Truth manifest, COCO, Pascal VOC or YOLO.",
            discussion: """
                Every labeled image is written, those with no box too; images are written upright, as stored. Layouts:
                  manifest  output.manifest + images/          (the exact Ground Truth output line, -metadata included)
                  coco      annotations.json + images/
                  voc       Annotations/*.xml + JPEGImages/ + classes.txt
                  yolo      labels/*.txt + images/ + classes.txt
                Coordinates round-trip exactly through every format (ctl labels import reads them back).
                  ctl labels export --dataset bees --format manifest ./out --source-ref-prefix s3://bees/images/
                """
        )

        @OptionGroup var store: StoreOptions
        @Option(name: .shortAndLong, help: "The dataset.") var dataset: String
        @Option(help: "manifest, coco, voc, yolo or labelstudio.") var format: LabelFormat
        @Argument(help: "The folder to write into (created if missing).") var folder: String
        @Option(help: "manifest: the label attribute name and job name (default: the dataset's name).") var labelAttributeName: String?
        @Option(help: "manifest: what each source-ref starts with (default images/, relative to the manifest).") var sourceRefPrefix: String?
        @Flag(help: "Print a JSON summary.") var json = false

        func run() throws {
            let store = try store.open()
            let progress = ProgressBar("exporting")
            let set = try storeCommand {
                try store.export(
                    try store.dataset(named: dataset),
                    as: format,
                    to: URL(fileURLWithPath: folder),
                    labelAttributeName: labelAttributeName,
                    sourceRefPrefix: sourceRefPrefix
                ) { progress.show($0, of: $1) }
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
    struct Import: ParsableCommand {
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

        @OptionGroup var store: StoreOptions
        @Option(name: .shortAndLong, help: "The dataset (created if missing).") var dataset: String
        @Option(help: "manifest, coco, voc, yolo or labelstudio.") var format: LabelFormat
        @Argument(help: "The export folder, or for manifest and coco the file itself.") var path: String
        @Option(help: "manifest: the label attribute to read (default: the only one there is).") var labelAttributeName: String?
        @Flag(help: "The labels are machine-made (a model's predictions, a generator's ground truth): Ground Truth's human-annotated \"no\", counted in MachineLabeled. A manifest whose lines all say human-annotated \"no\" is taken as machine-made anyway.")
        var machineLabeled = false
        @Flag(help: "Print a JSON summary.") var json = false

        func run() throws {
            let store = try store.open()
            let report = try storeCommand {
                let set = try LabelStore.readLabels(format, from: URL(fileURLWithPath: path), labelAttributeName: labelAttributeName)
                return try store.importLabels(set, into: dataset, origin: machineLabeled ? .machine : nil)
            }
            if json {
                JSONOutput.print(
                    .object([
                        "images": .int(report.images), "imagesAdded": .int(report.imagesAdded), "imagesRelabeled": .int(report.imagesRelabeled),
                        "boxesAdded": .int(report.boxesAdded), "boxesDeleted": .int(report.boxesDeleted),
                        "categoriesAdded": .array(report.categoriesAdded.map(JSONValue.string)),
                    ])
                )
                return
            }
            print(
                "Imported \(report.images) labeled images into \(dataset): \(report.imagesAdded) new, \(report.imagesRelabeled) relabeled; "
                    + "\(report.boxesAdded) boxes added, \(report.boxesDeleted) removed"
                    + (report.categoriesAdded.isEmpty ? "" : "; new classes: " + report.categoriesAdded.joined(separator: ", "))
            )
        }
    }
}
