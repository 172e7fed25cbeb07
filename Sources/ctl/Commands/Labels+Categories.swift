import AWSProtocol
import ArgumentParser
import Foundation
import GroundTruthFormat
import LabelStore

extension Labels {
    /// `ctl labels categories …`: a dataset's classes.
    struct Categories: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, add or rename a dataset's classes (Ground Truth's label categories).",
            discussion: """
                A class's id is its position in the list and never changes; renaming keeps every box of it.
                  ctl labels categories add --dataset bees bee wasp
                  ctl labels categories add --dataset bees --config class_labels.json
                  ctl labels categories rename --dataset bees wasp hornet
                  ctl labels categories list --dataset bees --json > class_labels.json
                """,
            subcommands: [List.self, Add.self, Rename.self],
            defaultSubcommand: List.self
        )

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the classes; --json prints a LabelCategoryConfig file.")

            @OptionGroup var store: StoreOptions
            @Option(name: .shortAndLong, help: "The dataset.") var dataset: String
            @Flag(help: #"Print {"document-version": "2018-11-28", "labels": [...]}, the label category config file."#) var json = false

            func run() throws {
                let store = try store.open()
                let dataset = try storeCommand { try store.dataset(named: self.dataset) }
                if json {
                    print(try store.categoryConfig(of: dataset).encoded())
                    return
                }
                let categories = try store.categories(of: dataset)
                print(TextTable(headers: ["ID", "CLASS"], rows: categories.map { [String($0.classId), $0.name] }).render())
            }
        }

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add classes after the existing ones (names already there are kept).")

            @OptionGroup var store: StoreOptions
            @Option(name: .shortAndLong, help: "The dataset (created if missing).") var dataset: String
            @Option(help: "A label category config JSON file to add the labels of.") var config: String?
            @Argument(help: "Class names.") var names: [String] = []

            func validate() throws {
                guard config != nil || !names.isEmpty else { throw ValidationError("give class names or --config FILE") }
            }

            func run() throws {
                let store = try store.open()
                var all = names
                if let config {
                    guard let data = FileManager.default.contents(atPath: config) else { throw CLIError("cannot read '\(config)'", exitCode: 64) }
                    do {
                        all = try LabelCategoryConfig.parse(data).names + all
                    } catch let error as LabelCategoryConfigError {
                        throw CLIError("\(config): \(error.reason)", exitCode: 65)
                    }
                }
                let categories = try storeCommand { try store.addCategories(all, to: try store.ensureDataset(named: dataset)) }
                print(TextTable(headers: ["ID", "CLASS"], rows: categories.map { [String($0.classId), $0.name] }).render())
            }
        }

        struct Rename: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Rename a class; its id and boxes stay.")

            @OptionGroup var store: StoreOptions
            @Option(name: .shortAndLong, help: "The dataset.") var dataset: String
            @Argument(help: "The class's current name.") var name: String
            @Argument(help: "Its new name.") var newName: String

            func run() throws {
                let store = try store.open()
                try storeCommand { try store.renameCategory(name, to: newName, in: try store.dataset(named: dataset)) }
                print("Renamed '\(name)' to '\(newName)' in \(dataset)")
            }
        }
    }
}
