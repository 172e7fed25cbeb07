import GroundTruthFormat
import LabelStore

/// Finding what a label command names: an image by id or file name, a class by name or id. The daemon resolves
/// them (`LabelAPI`), so `ctl labels` and scripts name things the same way wherever they run.
enum LabelTargets {
    /// An image given as its id (`12`) or its file name (`hive2/0001.jpg`, in `dataset` or, without one, in the
    /// only dataset that has that name).
    static func image(_ text: String, dataset: String?, in store: LabelStore) throws -> StoredImage {
        if let id = Int64(text) { return try store.image(id: id) }
        if let dataset { return try store.image(named: text, in: try store.dataset(named: dataset)) }
        let matches = try store.datasets().compactMap { try? store.image(named: text, in: $0) }
        guard matches.count == 1 else {
            throw LabelStoreError(
                .notFound,
                matches.isEmpty
                    ? "no image named '\(text)' in any dataset; give its id or --dataset NAME (ctl labels todo --dataset NAME --all lists them)"
                    : "several datasets have an image named '\(text)'; add --dataset NAME or give its id"
            )
        }
        return matches[0]
    }

    /// A class of `dataset` given by name (`bee`) or id (`0`).
    static func classId(_ text: String, of dataset: Dataset, in store: LabelStore) throws -> Int {
        let categories = try store.categories(of: dataset)
        if let category = categories.first(where: { $0.name == text }) ?? Int(text).flatMap({ id in categories.first { $0.classId == id } }) {
            return category.classId
        }
        let known =
            categories.isEmpty
            ? "it has none; add some with ctl labels categories add --dataset \(dataset.name) NAME…"
            : "its classes are " + categories.map(\.name).joined(separator: ", ")
        throw LabelStoreError(.notFound, "dataset '\(dataset.name)' has no class '\(text)'; \(known)")
    }

    /// Class names by class id, for each image's dataset.
    static func classNames(ofImages ids: Set<Int64>, in store: LabelStore) throws -> [Int64: [Int: String]] {
        var byDataset: [Int64: [Int: String]] = [:]
        var result: [Int64: [Int: String]] = [:]
        for id in ids {
            let image = try store.image(id: id)
            if byDataset[image.datasetId] == nil {
                let categories = try store.categories(of: try dataset(of: image, in: store))
                byDataset[image.datasetId] = Dictionary(uniqueKeysWithValues: categories.map { ($0.classId, $0.name) })
            }
            result[id] = byDataset[image.datasetId]
        }
        return result
    }

    /// The dataset an image belongs to.
    static func dataset(of image: StoredImage, in store: LabelStore) throws -> Dataset {
        guard let dataset = try store.datasets().first(where: { $0.id == image.datasetId }) else {
            throw LabelStoreError(.notFound, "image \(image.id) has no dataset")
        }
        return dataset
    }
}

