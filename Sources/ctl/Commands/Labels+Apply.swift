import AWSProtocol
import ArgumentParser
import Foundation
import LabelStore

extension Labels {
    /// `ctl labels apply`: label edits from standard input, for scripts and tools.
    struct Apply: ParsableCommand {
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

                Example: ctl labels apply --dataset bees < edits.jsonl
                """
        )

        @OptionGroup var store: StoreOptions
        @Option(name: .shortAndLong, help: "The dataset of images given by file name.") var dataset: String?
        @Flag(help: "The edits are machine-made (a model's predictions): Ground Truth's human-annotated \"no\", counted in MachineLabeled.")
        var machineLabeled = false

        func run() throws {
            let store = try store.open()
            var number = 0
            while let line = Swift.readLine() {
                number += 1
                if line.allSatisfy(\.isWhitespace) { continue }
                let edits: [LabelEdit]
                do {
                    edits = try parse(line, store: store)
                } catch let error as CLIError {
                    throw CLIError("line \(number): \(error.description)", exitCode: error.exitCode)
                }
                let changes: [LabelChange]
                do {
                    changes = try storeCommand { try store.apply(edits, origin: machineLabeled ? .machine : .human) }.flatMap { $0 }
                } catch let error as CLIError {
                    throw CLIError("line \(number): \(error.description)", exitCode: error.exitCode)
                }
                let ack = JSONValue.object(["line": .int(number), "changes": .array(changes.map(LabelText.json))])
                FileHandle.standardOutput.write(Data((ack.rendered() + "\n").utf8))  // unbuffered: the ack means "stored"
            }
        }

        private func parse(_ line: String, store: LabelStore) throws -> [LabelEdit] {
            guard let value = try? JSONValue.parse(Array(line.utf8)) else { throw CLIError("not JSON", exitCode: 65) }
            let objects = value.arrayValue ?? [value]
            return try objects.map { object in
                guard case .object(let fields) = object, let op = fields["op"]?.stringValue else {
                    throw CLIError(#"each edit is an object with "op": add, update, delete, submit or undo"#, exitCode: 65)
                }
                switch op {
                case "add":
                    let image = try image(fields, store)
                    let classId = try LabelTargets.classId(
                        try text(fields["class"], "class"),
                        of: try LabelTargets.dataset(of: image, in: store),
                        in: store
                    )
                    return .add(imageId: image.id, try box(fields["box"]).annotation(classId: classId))
                case "update":
                    let id = try boxId(fields)
                    let current = try storeCommand { try store.box(id: id) }
                    var annotation = try fields["box"].map { try box($0).annotation(classId: current.annotation.classId) } ?? current.annotation
                    if let name = fields["class"] {
                        let dataset = try LabelTargets.dataset(of: try store.image(id: current.imageId), in: store)
                        annotation.classId = try LabelTargets.classId(try text(name, "class"), of: dataset, in: store)
                    }
                    return .update(boxId: id, annotation)
                case "delete": return .delete(boxId: try boxId(fields))
                case "submit": return .submit(imageId: try image(fields, store).id)
                case "undo": return .undo(imageId: try image(fields, store).id)
                default: throw CLIError("unknown op '\(op)'; use add, update, delete, submit or undo", exitCode: 65)
                }
            }
        }

        private func image(_ fields: [String: JSONValue], _ store: LabelStore) throws -> StoredImage {
            guard let value = fields["image"], let text = value.intValue.map(String.init) ?? value.stringValue else {
                throw CLIError(#""image" must be an image id or file name"#, exitCode: 65)
            }
            return try storeCommand { try LabelTargets.image(text, dataset: dataset, in: store) }
        }

        private func boxId(_ fields: [String: JSONValue]) throws -> Int64 {
            guard let id = fields["id"]?.intValue else { throw CLIError(#""id" must be a box id"#, exitCode: 65) }
            return Int64(id)
        }

        private func box(_ value: JSONValue?) throws -> BoxArgument {
            guard let values = value?.arrayValue, let box = BoxArgument(values.compactMap(\.doubleValue)), values.count == 4 else {
                throw CLIError(#""box" must be [left, top, width, height]"#, exitCode: 65)
            }
            return box
        }

        private func text(_ value: JSONValue?, _ name: String) throws -> String {
            guard let text = value?.stringValue ?? value?.intValue.map(String.init) else { throw CLIError("\"\(name)\" is missing", exitCode: 65) }
            return text
        }
    }
}
