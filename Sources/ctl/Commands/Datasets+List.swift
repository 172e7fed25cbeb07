import AWSProtocol
import ArgumentParser
import LabelStore

extension Datasets {
    /// `ctl datasets list`: the label store's datasets.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the label store's datasets with their images and labeling progress.",
            discussion: "Example: ctl datasets list --json")

        @OptionGroup var store: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let stats = try store.openIfExists().map { store in try store.datasets().map { try store.stats(of: $0) } } ?? []
            if json {
                JSONOutput.print(
                    .array(
                        stats.map {
                            .object([
                                "name": .string($0.dataset.name), "images": .int($0.images), "labeledImages": .int($0.labeledImages),
                                "boxes": .int($0.boxes),
                                "classes": .array($0.classes.map { .string($0.category.name) }),
                            ])
                        }
                    )
                )
                return
            }
            let rows = stats.map {
                [
                    $0.dataset.name, String($0.images), String($0.labeledImages), String($0.boxes),
                    $0.classes.map(\.category.name).joined(separator: ", "),
                ]
            }
            print(TextTable(headers: ["DATASET", "IMAGES", "LABELED", "BOXES", "CLASSES"], rows: rows).render())
        }
    }
}
