import AWSProtocol
import ArgumentParser
import LabelStore

extension Labels {
    /// `ctl labels history IMAGE`: the append-only history of an image's labels.
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every change ever made to an image's labels, undone ones included.",
            discussion: "Example: ctl labels history 12")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The image: its id, or its file name.") var image: String
        @Option(name: .shortAndLong, help: "The dataset, when the image is given by file name.") var dataset: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try store.open()
            let image = try storeCommand { try LabelTargets.image(self.image, dataset: self.dataset, in: store) }
            let history = try store.history(ofImage: image.id)
            let names = try LabelTargets.classNames(ofImages: [image.id], in: store)[image.id] ?? [:]
            if json {
                JSONOutput.print(.array(history.map(LabelText.json)))
                return
            }
            let rows = history.map { change in
                [
                    String(change.id), String(change.revisionId), JSONOutput.date(.double(change.at.timeIntervalSince1970)),
                    EditOptions.describe(change, names: names) + (change.undone ? "  (undone)" : ""),
                ]
            }
            print(TextTable(headers: ["CHANGE", "REVISION", "AT (UTC)", "WHAT"], rows: rows).render())
        }
    }
}
