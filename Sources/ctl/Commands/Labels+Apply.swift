import AWSProtocol
import ArgumentParser
import Foundation

extension Labels {
    /// `ctl labels apply`: label edits from standard input, for scripts and tools.
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply label edits read from standard input as JSON Lines: each line is one write, acknowledged once it is stored.",
            discussion: """
                A line is one edit object or an array of them (applied together, all or none). Images are ids, or \
                file names with --dataset; an update may leave out class or box.
                  {"op": "add", "image": 12, "class": "bee", "box": [177, 256.2, 95.4, 86.8]}
                  {"op": "update", "id": 31, "class": "wasp", "box": [180, 256, 95, 87]}
                  {"op": "delete", "id": 31}
                  {"op": "submit", "image": "hive2/0001.jpg"}
                  {"op": "undo", "image": 12}
                After each line is committed, one line is printed: {"line": N, "changes": [...]} with the new box ids. \
                A line that is refused stops the run with its reason (lines before it stay applied); exit codes as \
                for the other commands.

                Example: echo '{"op": "submit", "image": 12}' | ctl labels apply
                """
        )

        @OptionGroup var connection: ConnectionOptions
        @Option(name: .shortAndLong, help: "The dataset of images given by file name.") var dataset: String?
        @Flag(help: "The edits are machine-made (a model's predictions): Ground Truth's human-annotated \"no\", counted in MachineLabeled.")
        var machineLabeled = false

        func run() async throws {
            let client = try connection.client()
            var number = 0
            while let line = Swift.readLine() {
                number += 1
                if line.allSatisfy(\.isWhitespace) { continue }
                let answer: JSONValue
                do {
                    guard let edits = try? JSONValue.parse(Array(line.utf8)) else { throw CLIError("not JSON", exitCode: 65) }
                    answer = try await client.labels(
                        "apply", ["edits": edits, "dataset": dataset.map(JSONValue.string) ?? .null, "machineLabeled": .bool(machineLabeled)])
                } catch let error as CLIError {
                    throw CLIError("line \(number): \(error.description)", exitCode: error.exitCode)
                }
                let ack = JSONValue.object(["line": .int(number), "changes": answer["changes"] ?? []])
                FileHandle.standardOutput.write(Data((ack.rendered() + "\n").utf8))  // unbuffered: the ack means "stored"
            }
        }
    }
}
