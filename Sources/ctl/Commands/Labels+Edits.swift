import AWSProtocol
import ArgumentParser
import GroundTruthFormat

/// Options of the commands that change labels.
struct EditOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .shortAndLong, help: "The dataset, when an image is given by file name.") var dataset: String?
    @Flag(help: "Print the API's answer: {\"changes\": [the history entries appended], \"classNames\": {...}}.") var json = false

    /// Applies `edits` (edit objects, as `ctl labels apply` reads them) as one write and prints what changed.
    func apply(_ edits: [JSONValue]) async throws {
        let (answer, bytes) = try await connection.client().labelsAnswer(
            "apply", ["edits": .array(edits), "dataset": dataset.map(JSONValue.string) ?? .null])
        if json { return JSONOutput.print(answer: bytes) }
        let changes = answer["changes"]?.arrayValue ?? []
        for change in changes { print(Self.describe(change, classNames: answer["classNames"])) }
        if changes.isEmpty { print("Nothing changed") }
    }

    /// One history entry in words: `added box 31 to image 12: bee at 177,256.2,95.4,86.8`.
    /// - Parameter classNames: the API's `classNames`: by image id, class names by class id.
    static func describe(_ change: JSONValue, classNames: JSONValue?) -> String {
        let image = change["image"]?.intValue ?? 0
        let box = change["box"]?.intValue.map { "box \($0)" } ?? "image"
        let after = annotation(change["after"]).map { after in
            let name = classNames?[String(image)]?[String(after.classId)]?.stringValue ?? "class \(after.classId)"
            return "\(name) at \(LabelText.geometry(after))"
        }
        switch change["action"]?.stringValue {
        case "add": return "added \(box) to image \(image): \(after ?? "")"
        case "update": return "updated \(box) of image \(image): \(after ?? "")"
        case "delete": return "deleted \(box) of image \(image)"
        case "submit": return "submitted image \(image) as labeled"
        default:
            let what = change["box"]?.intValue == nil ? "the submission of image \(image)" : "\(box) of image \(image)"
            return "undid change \(change["undoes"]?.intValue ?? 0): \(what) " + (after.map { "is back: \($0)" } ?? "is gone")
        }
    }

    /// A box as the API writes it (`classId`, `left`, `top`, `width`, `height`); nil for `null`.
    private static func annotation(_ value: JSONValue?) -> GroundTruthAnnotation? {
        guard let value, let classId = value["classId"]?.intValue, let left = value["left"]?.doubleValue, let top = value["top"]?.doubleValue,
            let width = value["width"]?.doubleValue, let height = value["height"]?.doubleValue
        else { return nil }
        return GroundTruthAnnotation(classId: classId, left: left, top: top, width: width, height: height)
    }
}

extension Labels {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw boxes on an image (several --box in one command are one change).",
            discussion: """
                  ctl labels add 12 --class bee --box 177,256.2,95.4,86.8
                  ctl labels add 15879308.jpg --dataset bees --class bee \\
                      --box 10,10,50,40 --box 200,80,60,55
                """
        )

        @OptionGroup var options: EditOptions
        @Argument(help: "The image: its id, or its file name.") var image: String
        @Option(name: .shortAndLong, help: "The class: its name or id.") var `class`: String
        @Option(help: "left,top,width,height in pixels of the upright image.") var box: [BoxArgument]

        func validate() throws {
            guard !box.isEmpty else { throw ValidationError("give at least one --box left,top,width,height") }
        }

        func run() async throws {
            try await options.apply(box.map { ["op": "add", "image": .string(image), "class": .string(`class`), "box": $0.json] })
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move, resize or relabel a box.",
            discussion: """
                  ctl labels update 31 --box 180,256,95,87          # move and resize
                  ctl labels update 31 --class hornet               # relabel
                """
        )

        @OptionGroup var options: EditOptions
        @Argument(help: "The box id (ctl labels show IMAGE lists them).") var boxId: Int64
        @Option(name: .shortAndLong, help: "The new class: its name or id.") var `class`: String?
        @Option(help: "The new left,top,width,height.") var box: BoxArgument?

        func validate() throws {
            guard `class` != nil || box != nil else { throw ValidationError("give --box left,top,width,height, --class NAME, or both") }
        }

        func run() async throws {
            var edit: JSONValue = ["op": "update", "id": .int(Int(boxId))]
            if let `class` { edit["class"] = .string(`class`) }
            if let box { edit["box"] = box.json }
            try await options.apply([edit])
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete boxes (undo brings them back).",
            discussion: "Example: ctl labels delete 31 32")

        @OptionGroup var options: EditOptions
        @Argument(help: "Box ids.") var boxIds: [Int64]

        func run() async throws {
            try await options.apply(boxIds.map { ["op": "delete", "id": .int(Int($0))] })
        }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark images labeled as they are — with no box, \"no object\" — so they count as done and stay in exports.",
            discussion: "Example: ctl labels submit 13 14"
        )

        @OptionGroup var options: EditOptions
        @Argument(help: "Images: ids or file names.") var images: [String]

        func run() async throws {
            try await options.apply(images.map { ["op": "submit", "image": .string($0)] })
        }
    }

    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo the latest change still in effect on an image; repeat to go further back. The history keeps everything.",
            discussion: "Example: ctl labels undo 12"
        )

        @OptionGroup var options: EditOptions
        @Argument(help: "The image: its id, or its file name.") var image: String

        func run() async throws {
            try await options.apply([["op": "undo", "image": .string(image)]])
        }
    }
}
