import AWSProtocol
import ArgumentParser
import Foundation
import LabelStore

extension Labels {
    /// `ctl labels show IMAGE`: one image's boxes.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an image's boxes; --render draws them onto the image as a PNG.",
            discussion: """
                  ctl labels show 12
                  ctl labels show hive2/0001.jpg --dataset bees --render /tmp/0001.png
                """
        )

        @OptionGroup var store: StoreOptions
        @Argument(help: "The image: its id, or its file name.") var image: String
        @Option(name: .shortAndLong, help: "The dataset, when the image is given by file name.") var dataset: String?
        @Option(help: "Write the image with its boxes drawn (one colour per class) to this PNG file.") var render: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try store.open()
            let image = try storeCommand { try LabelTargets.image(self.image, dataset: self.dataset, in: store) }
            let imageDataset = try LabelTargets.dataset(of: image, in: store)
            let names = Dictionary(uniqueKeysWithValues: try store.categories(of: imageDataset).map { ($0.classId, $0.name) })
            let boxes = try store.boxes(onImage: image.id)
            let labeled = try store.isLabeled(imageId: image.id)
            if let render {
                try Data(try store.renderedPNG(ofImage: image.id)).write(to: URL(fileURLWithPath: render))
            }
            if json {
                JSONOutput.print(
                    .object([
                        "image": LabelText.json(image, labeled: labeled), "dataset": .string(imageDataset.name),
                        "boxes": .array(boxes.map { LabelText.json($0.annotation, id: $0.id, className: names[$0.annotation.classId]) }),
                    ])
                )
                return
            }
            let turned = image.orientation == .up ? "" : "  (EXIF orientation \(image.orientation.rawValue) applied)"
            print(
                "image \(image.id)  \(imageDataset.name)/\(image.fileName)  \(image.width)×\(image.height)\(turned)  \(labeled ? "labeled" : "to label")"
            )
            if !boxes.isEmpty {
                let rows = boxes.map { box in
                    let b = box.annotation
                    return [String(box.id), names[b.classId] ?? "?"] + [b.left, b.top, b.width, b.height].map(LabelText.number)
                }
                print(TextTable(headers: ["BOX", "CLASS", "LEFT", "TOP", "WIDTH", "HEIGHT"], rows: rows).render())
            }
            if let render { print("Drew \(boxes.count) boxes into \(render)") }
        }
    }
}
