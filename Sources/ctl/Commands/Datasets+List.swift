import AWSProtocol
import ArgumentParser

extension Datasets {
    /// `ctl datasets list`: the daemon's datasets.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the datasets of the daemon's label store with their images and labeling progress.",
            discussion: "Asks the daemon at $APIARY_URL (or --endpoint-url). Example: ctl datasets list --json")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let (answer, bytes) = try await options.client().labelsAnswer("datasets")
            if options.json { return JSONOutput.print(answer: bytes) }
            let rows = (answer.arrayValue ?? []).map { dataset in
                [
                    dataset["name"]?.stringValue ?? "", String(dataset["images"]?.intValue ?? 0), String(dataset["labeledImages"]?.intValue ?? 0),
                    String(dataset["boxes"]?.intValue ?? 0), (dataset["classes"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", "),
                ]
            }
            print(TextTable(headers: ["DATASET", "IMAGES", "LABELED", "BOXES", "CLASSES"], rows: rows).render())
        }
    }
}
