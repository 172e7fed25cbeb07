import AWSProtocol
import ArgumentParser
import GroundTruthFormat
import LabelStore

/// Options of the commands that change labels.
struct EditOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions
    @Option(name: .shortAndLong, help: "The dataset, when an image is given by file name.") var dataset: String?
    @Flag(help: "Print the history entries the change appended, as JSON.") var json = false

    /// Applies `edits` as one write and prints what changed.
    func apply(_ edits: [LabelEdit], on store: LabelStore) throws {
        let changes = try storeCommand { try store.apply(edits) }.flatMap { $0 }
        if json {
            JSONOutput.print(.array(changes.map(LabelText.json)))
            return
        }
        let names = try LabelTargets.classNames(ofImages: Set(changes.map(\.imageId)), in: store)
        for change in changes { print(Self.describe(change, names: names[change.imageId] ?? [:])) }
        if changes.isEmpty { print("Nothing changed") }
    }

    /// One history entry in words: `added box 31 to image 12: bee at 177,256.2,95.4,86.8`.
    /// - Parameter names: class names of the image's dataset by class id.
    static func describe(_ change: LabelChange, names: [Int: String]) -> String {
        let box = change.boxId.map { "box \($0)" } ?? "image"
        let after = change.after.map { "\(names[$0.classId] ?? "class \($0.classId)") at \(LabelText.geometry($0))" } ?? ""
        switch change.action {
        case .add: return "added \(box) to image \(change.imageId): \(after)"
        case .update: return "updated \(box) of image \(change.imageId): \(after)"
        case .delete: return "deleted \(box) of image \(change.imageId)"
        case .submit: return "submitted image \(change.imageId) as labeled"
        case .undo:
            let what = change.boxId == nil ? "the submission of image \(change.imageId)" : "\(box) of image \(change.imageId)"
            return "undid change \(change.undoes ?? 0): \(what) " + (change.after == nil ? "is gone" : "is back: \(after)")
        }
    }
}

extension Labels {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw boxes on an image (several --box in one command are one change).",
            discussion: """
                  ctl labels add 12 --class bee --box 177,256.2,95.4,86.8
                  ctl labels add 0001.jpg --dataset bees --class bee --box 10,10,50,40 --box 200,80,60,55
                """
        )

        @OptionGroup var options: EditOptions
        @Argument(help: "The image: its id, or its file name.") var image: String
        @Option(name: .shortAndLong, help: "The class: its name or id.") var `class`: String
        @Option(help: "left,top,width,height in pixels of the upright image.") var box: [BoxArgument]

        func validate() throws {
            guard !box.isEmpty else { throw ValidationError("give at least one --box left,top,width,height") }
        }

        func run() throws {
            let store = try options.store.open()
            let image = try storeCommand { try LabelTargets.image(self.image, dataset: options.dataset, in: store) }
            let classId = try LabelTargets.classId(`class`, of: try LabelTargets.dataset(of: image, in: store), in: store)
            try options.apply(box.map { .add(imageId: image.id, $0.annotation(classId: classId)) }, on: store)
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move, resize or relabel a box.",
            discussion: """
                  ctl labels update 31 --box 180,256,95,87          # move and resize
                  ctl labels update 31 --class wasp                 # relabel
                """
        )

        @OptionGroup var options: EditOptions
        @Argument(help: "The box id (ctl labels show IMAGE lists them).") var boxId: Int64
        @Option(name: .shortAndLong, help: "The new class: its name or id.") var `class`: String?
        @Option(help: "The new left,top,width,height.") var box: BoxArgument?

        func validate() throws {
            guard `class` != nil || box != nil else { throw ValidationError("give --box left,top,width,height, --class NAME, or both") }
        }

        func run() throws {
            let store = try options.store.open()
            let current = try storeCommand { try store.box(id: boxId) }
            let image = try store.image(id: current.imageId)
            let classId = try `class`.map { try LabelTargets.classId($0, of: try LabelTargets.dataset(of: image, in: store), in: store) }
            var annotation = box?.annotation(classId: current.annotation.classId) ?? current.annotation
            annotation.classId = classId ?? annotation.classId
            try options.apply([.update(boxId: boxId, annotation)], on: store)
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete boxes (undo brings them back).",
            discussion: "Example: ctl labels delete 31 32")

        @OptionGroup var options: EditOptions
        @Argument(help: "Box ids.") var boxIds: [Int64]

        func run() throws {
            try options.apply(boxIds.map { .delete(boxId: $0) }, on: try options.store.open())
        }
    }

    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark images labeled as they are — with no box, \"no object\" — so they count as done and stay in exports.",
            discussion: "Example: ctl labels submit 13 14"
        )

        @OptionGroup var options: EditOptions
        @Argument(help: "Images: ids or file names.") var images: [String]

        func run() throws {
            let store = try options.store.open()
            let ids = try images.map { name in try storeCommand { try LabelTargets.image(name, dataset: options.dataset, in: store).id } }
            try options.apply(ids.map { .submit(imageId: $0) }, on: store)
        }
    }

    struct Undo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo the latest change still in effect on an image; repeat to go further back. The history keeps everything.",
            discussion: "Example: ctl labels undo 12"
        )

        @OptionGroup var options: EditOptions
        @Argument(help: "The image: its id, or its file name.") var image: String

        func run() throws {
            let store = try options.store.open()
            let image = try storeCommand { try LabelTargets.image(self.image, dataset: options.dataset, in: store) }
            try options.apply([.undo(imageId: image.id)], on: store)
        }
    }
}
