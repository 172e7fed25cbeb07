import GroundTruthFormat

extension LabelStore {
    /// A dataset's classes in class-id order.
    public func categories(of dataset: Dataset) throws -> [LabelCategory] {
        try database.read { db in try LabelCategory.fetchAll(datasetId: dataset.id, db) }
    }

    /// Adds the classes of `names` a dataset does not have yet, after the existing ones (so no class id
    /// changes), and returns all of them.
    /// - Throws: `LabelStoreError` (`.invalid`) when the result breaks Ground Truth's rules (1–50 labels, names
    ///   of 1–256 characters).
    @discardableResult
    public func addCategories(_ names: [String], to dataset: Dataset) throws -> [LabelCategory] {
        try database.write { db in try Self.addCategories(names, datasetId: dataset.id, db) }
    }

    /// Renames a class. Its class id, and so every box of it, stays as it is; exports show the new name.
    public func renameCategory(_ name: String, to newName: String, in dataset: Dataset) throws {
        try database.write { db in
            let categories = try LabelCategory.fetchAll(datasetId: dataset.id, db)
            guard let category = categories.first(where: { $0.name == name }) else {
                throw LabelStoreError(.notFound, "dataset '\(dataset.name)' has no class '\(name)'; its classes are \(LabelCategory.list(categories))")
            }
            var names = categories.map(\.name)
            names[category.classId] = newName
            try Self.validate(names)
            try db.execute(
                "UPDATE labelCategory SET name = ? WHERE datasetId = ? AND classId = ?",
                [newName, dataset.id, category.classId]
            )
        }
    }

    /// The dataset's classes as a Ground Truth label category configuration file.
    public func categoryConfig(of dataset: Dataset) throws -> LabelCategoryConfig {
        LabelCategoryConfig(names: try categories(of: dataset).map(\.name))
    }

    static func addCategories(_ names: [String], datasetId: Int64, _ db: any LabelSQL) throws -> [LabelCategory] {
        var all = try LabelCategory.fetchAll(datasetId: datasetId, db).map(\.name)
        for name in names where !all.contains(name) { all.append(name) }
        try validate(all)
        let existing = try db.value(Int.self, "SELECT COUNT(*) FROM labelCategory WHERE datasetId = ?", [datasetId]) ?? 0
        for classId in existing..<all.count {
            try db.execute(
                "INSERT INTO labelCategory (datasetId, classId, name) VALUES (?, ?, ?)",
                [datasetId, classId, all[classId]]
            )
        }
        return all.enumerated().map { LabelCategory(classId: $0.offset, name: $0.element) }
    }

    private static func validate(_ names: [String]) throws {
        do {
            try LabelCategoryConfig(names: names).validate()
        } catch let error as LabelCategoryConfigError {
            throw LabelStoreError(.invalid, error.reason)
        }
    }
}
