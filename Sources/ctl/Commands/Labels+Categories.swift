import AWSProtocol
import ArgumentParser
import Foundation
import GroundTruthFormat

extension Labels {
    /// `ctl labels categories …`: a dataset's classes.
    struct Categories: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, add or rename a dataset's classes (Ground Truth's label categories).",
            discussion: """
                A class's id is its position in the list and never changes; renaming keeps every box of it.
                  ctl labels categories add --dataset bees bee wasp
                  ctl labels categories list --dataset bees --json > class_labels.json
                  ctl labels categories add --dataset bees-copy --config class_labels.json
                  ctl labels categories rename --dataset bees wasp hornet
                """,
            subcommands: [List.self, Add.self, Rename.self],
            defaultSubcommand: List.self
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the classes; --json prints a LabelCategoryConfig file.")

            @OptionGroup var connection: ConnectionOptions
            @Option(name: .shortAndLong, help: "The dataset.") var dataset: String
            @Flag(help: #"Print {"document-version": "2018-11-28", "labels": [...]}, the label category config file."#) var json = false

            func run() async throws {
                let answer = try await connection.client().labels("categories", ["dataset": .string(dataset)])
                if json { return print(answer["config"]?.stringValue ?? "") }
                print(Categories.table(answer))
            }
        }

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add classes after the existing ones (names already there are kept).")

            @OptionGroup var connection: ConnectionOptions
            @Option(name: .shortAndLong, help: "The dataset (created if missing).") var dataset: String
            @Option(help: "A label category config JSON file to add the labels of.") var config: String?
            @Argument(help: "Class names.") var names: [String] = []
            @Flag(help: "Print the API's answer: the dataset's classes after the change.") var json = false

            func validate() throws {
                guard config != nil || !names.isEmpty else { throw ValidationError("give class names or --config FILE") }
            }

            func run() async throws {
                var all = names
                if let config {
                    guard let data = FileManager.default.contents(atPath: config) else { throw CLIError("cannot read '\(config)'", exitCode: 64) }
                    do {
                        all = try LabelCategoryConfig.parse(data).names + all
                    } catch let error as LabelCategoryConfigError {
                        throw CLIError("\(config): \(error.reason)", exitCode: 65)
                    }
                }
                let (answer, bytes) = try await connection.client().labelsAnswer(
                    "categories/add", ["dataset": .string(dataset), "names": .array(all.map(JSONValue.string))])
                json ? JSONOutput.print(answer: bytes) : print(Categories.table(answer))
            }
        }

        struct Rename: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Rename a class; its id and boxes stay.")

            @OptionGroup var connection: ConnectionOptions
            @Option(name: .shortAndLong, help: "The dataset.") var dataset: String
            @Argument(help: "The class's current name.") var name: String
            @Argument(help: "Its new name.") var newName: String
            @Flag(help: "Print the API's answer ({}).") var json = false

            func run() async throws {
                let answer = try await connection.client().labelsAnswer(
                    "categories/rename", ["dataset": .string(dataset), "name": .string(name), "newName": .string(newName)])
                json ? JSONOutput.print(answer: answer.bytes) : print("Renamed '\(name)' to '\(newName)' in \(dataset)")
            }
        }

        /// The `categories` of an answer as an ID/CLASS table.
        static func table(_ answer: JSONValue) -> String {
            let rows = (answer["categories"]?.arrayValue ?? []).map { [String($0["classId"]?.intValue ?? 0), $0["name"]?.stringValue ?? ""] }
            return TextTable(headers: ["ID", "CLASS"], rows: rows).render()
        }
    }
}
