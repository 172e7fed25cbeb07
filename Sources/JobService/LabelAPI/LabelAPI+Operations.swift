import AWSProtocol
import Foundation
import GroundTruthFormat
import LabelStore
import ObjectStore

/// The label operations, one per `ctl labels` command: a JSON object in, a JSON answer out.
extension LabelAPI {
    func perform(_ operation: String, body: [UInt8]) throws -> [UInt8] {
        switch operation {
        case "export": return Array(try JSONEncoder().encode(try export(try Self.object(body))))
        case "import":
            return try importLabels(try JSONDecoder().decode(LabelImportBody.self, from: Data(body))).renderedBytes
        case "datasets/import":
            return try importImages(try JSONDecoder().decode(DatasetImportBody.self, from: Data(body))).renderedBytes
        default: return try answer(operation, try Self.object(body)).renderedBytes
        }
    }

    private func answer(_ operation: String, _ input: JSONValue) throws -> JSONValue {
        switch operation {
        case "categories":
            let dataset = try store.dataset(named: try Self.text(input, "dataset"))
            return [
                "categories": LabelCommandJSON.categories(try store.categories(of: dataset)),
                "config": .string(try store.categoryConfig(of: dataset).encoded()),
            ]
        case "categories/add":
            let names = (input["names"]?.arrayValue ?? []).compactMap(\.stringValue)
            let dataset = try store.ensureDataset(named: try Self.text(input, "dataset"))
            return ["categories": LabelCommandJSON.categories(try store.addCategories(names, to: dataset))]
        case "categories/rename":
            try store.renameCategory(
                try Self.text(input, "name"), to: try Self.text(input, "newName"), in: try store.dataset(named: try Self.text(input, "dataset")))
            return [:]
        case "datasets": return try datasets()
        case "datasets/sample": return try sample(input)
        case "todo": return try todo(input)
        case "show": return try show(input)
        case "apply":
            let line = LabelEditLine(store: store, dataset: input["dataset"]?.stringValue)
            let edits = try line.edits(input["edits"] ?? .null)
            let origin: LabelOrigin = input["machineLabeled"]?.boolValue == true ? .machine : .human
            let changes = try store.apply(edits, origin: origin).flatMap { $0 }
            responses.submitted(images: edits.compactMap(\.submittedImageId))
            return try changesAnswer(changes)
        case "history":
            let image = try LabelTargets.image(try Self.text(input, "image"), dataset: input["dataset"]?.stringValue, in: store)
            return try changesAnswer(try store.history(ofImage: image.id), images: [image.id])
        case "stats": return LabelCommandJSON.stats(try store.stats(of: try store.dataset(named: try Self.text(input, "dataset"))))
        case "free-tier":
            if let allowed = input["optIn"]?.boolValue { try store.setLabelingBeyondFreeTier(allowed) }
            return LabelCommandJSON.freeTier(try store.freeTier())
        default:
            throw AWSError("UnknownOperationException", "No label operation '\(operation)'.", status: 404)
        }
    }

    /// A dataset's images still to label (`all`: every image, each with `labeled`), and how many it has.
    private func todo(_ input: JSONValue) throws -> JSONValue {
        let dataset = try store.dataset(named: try Self.text(input, "dataset"))
        let all = input["all"]?.boolValue == true
        let images = try store.images(in: dataset, all ? .all : .unlabeled)
        let labeled = all ? Set(try store.images(in: dataset, .labeled).map(\.id)) : []
        return [
            "dataset": .string(dataset.name), "total": .int(all ? images.count : try store.images(in: dataset).count),
            "images": .array(images.map { LabelCommandJSON.image($0, labeled: all ? labeled.contains($0.id) : nil) }),
        ]
    }

    /// An image, its dataset and boxes; `render`: the image with its boxes drawn, as base64 PNG.
    private func show(_ input: JSONValue) throws -> JSONValue {
        let image = try LabelTargets.image(try Self.text(input, "image"), dataset: input["dataset"]?.stringValue, in: store)
        let dataset = try LabelTargets.dataset(of: image, in: store)
        let names = Dictionary(uniqueKeysWithValues: try store.categories(of: dataset).map { ($0.classId, $0.name) })
        var answer: JSONValue = [
            "image": LabelCommandJSON.image(image, labeled: try store.isLabeled(imageId: image.id)), "dataset": .string(dataset.name),
            "boxes": .array(
                try store.boxes(onImage: image.id).map { LabelCommandJSON.box($0.annotation, id: $0.id, className: names[$0.annotation.classId]) }),
        ]
        if input["render"]?.boolValue == true {
            answer["png"] = .string(Data(try store.renderedPNG(ofImage: image.id)).base64EncodedString())
        }
        return answer
    }

    /// History entries, with the class names of each image's dataset (`classNames[image][classId]`) to describe them.
    private func changesAnswer(_ changes: [LabelChange], images: Set<Int64> = []) throws -> JSONValue {
        let names = try LabelTargets.classNames(ofImages: images.union(changes.map(\.imageId)), in: store)
        return [
            "changes": .array(changes.map(LabelCommandJSON.change)),
            "classNames": .object(
                Dictionary(
                    uniqueKeysWithValues: names.map { image, classes in
                        (String(image), JSONValue.object(Dictionary(uniqueKeysWithValues: classes.map { (String($0.key), JSONValue.string($0.value)) })))
                    })),
        ]
    }

    private func export(_ input: JSONValue) throws -> LabelExportAnswer {
        let dataset = try store.dataset(named: try Self.text(input, "dataset"))
        let set = try store.labelSet(of: dataset)
        let ids = Dictionary(uniqueKeysWithValues: try store.images(in: dataset, .labeled).map { ($0.fileName, $0.id) })
        return LabelExportAnswer(
            labelAttributeName: input["labelAttributeName"]?.stringValue ?? LabelStore.defaultLabelAttributeName(of: dataset), set: set,
            imageIds: set.items.map { ids[$0.fileName] ?? -1 })
    }

    /// Imports with the images the client sent, and `s3://` ones from the object store.
    private func importLabels(_ body: LabelImportBody) throws -> JSONValue {
        let report = try store.importLabels(body.set, into: body.dataset, origin: body.origin) { reference in
            if let bytes = body.images[reference] { return [UInt8](bytes) }
            guard let uri = S3URI(reference) else { throw LabelStoreError(.notFound, "\(reference): the client sent no such image") }
            do {
                return [UInt8](try objects.get(uri))
            } catch {
                throw LabelStoreError(.notFound, "\(reference): not in the daemon's object store (\(error))")
            }
        }
        responses.submitted(inDatasets: [body.dataset])
        return LabelCommandJSON.importReport(report)
    }

    private static func object(_ body: [UInt8]) throws -> JSONValue { try JSONValue.requestObject(body) }

    private static func text(_ input: JSONValue, _ name: String) throws -> String {
        guard let text = input[name]?.stringValue else { throw AWSError.validation("\"\(name)\" is missing.") }
        return text
    }
}
