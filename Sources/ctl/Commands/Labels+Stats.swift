import AWSProtocol
import ArgumentParser
import LabelStore

extension Labels {
    /// `ctl labels stats`: progress, per-class counts, class balance, free tier.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Labeling progress, boxes and images per class, boxes per image, a class-imbalance warning, and the free tier.",
            discussion: "Example: ctl labels stats --dataset bees"
        )

        @OptionGroup var store: StoreOptions
        @Option(name: .shortAndLong, help: "The dataset.") var dataset: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try store.open()
            let stats = try storeCommand { try store.stats(of: try store.dataset(named: dataset)) }
            let tier = stats.freeTier
            if json {
                JSONOutput.print(
                    .object([
                        "dataset": .string(stats.dataset.name), "images": .int(stats.images), "labeledImages": .int(stats.labeledImages),
                        "unlabeledImages": .int(stats.unlabeledImages), "boxes": .int(stats.boxes),
                        "classes": .array(
                            stats.classes.map {
                                .object([
                                    "classId": .int($0.category.classId), "name": .string($0.category.name), "boxes": .int($0.boxes),
                                    "images": .int($0.images),
                                ])
                            }
                        ),
                        "boxesPerImage": .object(
                            Dictionary(uniqueKeysWithValues: stats.boxesPerImage.map { (String($0.key), JSONValue.int($0.value)) })
                        ),
                        "imbalanceWarning": stats.imbalanceWarning.map(JSONValue.string) ?? .null,
                        "freeTier": .object([
                            "cap": .int(FreeTier.cap), "labeledImages": .int(tier.labeledImages), "optedIn": .bool(tier.optedIn),
                            "beyondFreeTier": .int(tier.beyondFreeTier),
                        ]),
                    ])
                )
                return
            }
            print(
                "\(stats.dataset.name): \(stats.images) images, \(stats.labeledImages) labeled, \(stats.unlabeledImages) to label, \(stats.boxes) boxes"
            )
            if !stats.classes.isEmpty {
                let rows = stats.classes.map { [String($0.category.classId), $0.category.name, String($0.boxes), String($0.images)] }
                print(TextTable(headers: ["ID", "CLASS", "BOXES", "IMAGES"], rows: rows).render())
            }
            if !stats.boxesPerImage.isEmpty {
                print(
                    "boxes per labeled image: "
                        + stats.boxesPerImage.keys.sorted().map { "\($0): \(stats.boxesPerImage[$0]!)" }.joined(separator: ", ")
                )
            }
            let beyond = tier.beyondFreeTier > 0 ? ", \(tier.beyondFreeTier) beyond it" : ""
            print(
                "free tier: \(min(tier.labeledImages, FreeTier.cap)) of \(FreeTier.cap) labeled images used (all datasets)\(beyond)\(tier.optedIn ? "; opted in to go beyond" : "")"
            )
            if let warning = stats.imbalanceWarning { print("warning: \(warning)") }
        }
    }
}
