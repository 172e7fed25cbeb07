import AWSProtocol
import ArgumentParser

extension Labels {
    /// `ctl labels history IMAGE`: the append-only history of an image's labels.
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every change ever made to an image's labels, undone ones included.",
            discussion: "Example: ctl labels history 12")

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The image: its id, or its file name.") var image: String
        @Option(name: .shortAndLong, help: "The dataset, when the image is given by file name.") var dataset: String?
        @Flag(help: "Print the API's answer: {\"changes\": [...], \"classNames\": {...}}.") var json = false

        func run() async throws {
            let (answer, bytes) = try await connection.client().labelsAnswer(
                "history", ["image": .string(image), "dataset": dataset.map(JSONValue.string) ?? .null])
            if json { return JSONOutput.print(answer: bytes) }
            let history = answer["changes"]?.arrayValue ?? []
            let rows = history.map { change in
                [
                    String(change["id"]?.intValue ?? 0), String(change["revision"]?.intValue ?? 0), JSONOutput.date(change["at"]),
                    EditOptions.describe(change, classNames: answer["classNames"]) + (change["undone"]?.boolValue == true ? "  (undone)" : ""),
                ]
            }
            print(TextTable(headers: ["CHANGE", "REVISION", "AT (UTC)", "WHAT"], rows: rows).render())
        }
    }
}
