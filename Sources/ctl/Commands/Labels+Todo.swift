import AWSProtocol
import ArgumentParser

extension Labels {
    /// `ctl labels todo`: images still to label.
    struct Todo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a dataset's images still to label (--all: every image, with its state).",
            discussion: "Example: ctl labels todo --dataset bees")

        @OptionGroup var connection: ConnectionOptions
        @Option(name: .shortAndLong, help: "The dataset.") var dataset: String
        @Flag(help: "List every image, labeled or not.") var all = false
        @Flag(help: "Print the API's answer: {\"dataset\", \"total\", \"images\": [...]}.") var json = false

        func run() async throws {
            let (answer, bytes) = try await connection.client().labelsAnswer("todo", ["dataset": .string(dataset), "all": .bool(all)])
            if json { return JSONOutput.print(answer: bytes) }
            let images = answer["images"]?.arrayValue ?? []
            var headers = ["ID", "FILE", "SIZE"]
            if all { headers.append("STATE") }
            let rows = images.map { image in
                [String(image["id"]?.intValue ?? 0), image["fileName"]?.stringValue ?? "", "\(image["width"]?.intValue ?? 0)×\(image["height"]?.intValue ?? 0)"]
                    + (all ? [image["labeled"]?.boolValue == true ? "labeled" : "to label"] : [])
            }
            if !rows.isEmpty { print(TextTable(headers: headers, rows: rows).render()) }
            let left = images.filter { $0["labeled"]?.boolValue != true }.count
            print("\(left) of \(answer["total"]?.intValue ?? 0) images in \(answer["dataset"]?.stringValue ?? dataset) still to label")
        }
    }
}
