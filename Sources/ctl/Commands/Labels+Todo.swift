import AWSProtocol
import ArgumentParser
import LabelStore

extension Labels {
    /// `ctl labels todo`: images still to label.
    struct Todo: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a dataset's images still to label (--all: every image, with its state).",
            discussion: "Example: ctl labels todo --dataset bees")

        @OptionGroup var store: StoreOptions
        @Option(name: .shortAndLong, help: "The dataset.") var dataset: String
        @Flag(help: "List every image, labeled or not.") var all = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try store.open()
            let dataset = try storeCommand { try store.dataset(named: self.dataset) }
            let images = try store.images(in: dataset, all ? .all : .unlabeled)
            let labeled = all ? Set(try store.images(in: dataset, .labeled).map(\.id)) : []
            if json {
                JSONOutput.print(.array(images.map { LabelText.json($0, labeled: labeled.contains($0.id)) }))
                return
            }
            var headers = ["ID", "FILE", "SIZE"]
            if all { headers.append("STATE") }
            let rows = images.map { image in
                [String(image.id), image.fileName, "\(image.width)×\(image.height)"]
                    + (all ? [labeled.contains(image.id) ? "labeled" : "to label"] : [])
            }
            if !rows.isEmpty { print(TextTable(headers: headers, rows: rows).render()) }
            let left = all ? images.count - labeled.count : images.count
            let total = all ? images.count : try store.images(in: dataset).count
            print("\(left) of \(total) images in \(dataset.name) still to label")
        }
    }
}
