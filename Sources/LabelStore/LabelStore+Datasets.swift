import Foundation
import GRDB

extension LabelStore {
    /// All datasets, by name.
    public func datasets() throws -> [Dataset] {
        try dbWriter.read { db in try Row.fetchAll(db, cached: "SELECT * FROM dataset ORDER BY name").map(Dataset.init) }
    }

    /// The dataset called `name`.
    /// - Throws: `LabelStoreError` (`.notFound`) listing the datasets there are.
    public func dataset(named name: String) throws -> Dataset {
        try dbWriter.read { db in try Self.dataset(named: name, db) }
    }

    /// The dataset called `name`, created empty if there is none.
    public func ensureDataset(named name: String, now: Date = Date()) throws -> Dataset {
        try dbWriter.write { db in try Self.ensureDataset(named: name, now: now, db) }
    }

    static func dataset(named name: String, _ db: Database) throws -> Dataset {
        if let row = try Row.fetchOne(db, cached: "SELECT * FROM dataset WHERE name = ?", arguments: [name]) { return Dataset(row: row) }
        let names = try String.fetchAll(db, cached: "SELECT name FROM dataset ORDER BY name")
        let known = names.isEmpty ? "there are none yet (ctl datasets import DIR --dataset NAME)" : "there are: " + names.joined(separator: ", ")
        throw LabelStoreError(.notFound, "no dataset named '\(name)'; \(known)")
    }

    static func ensureDataset(named name: String, now: Date, _ db: Database) throws -> Dataset {
        guard !name.isEmpty, name.count <= 256 else { throw LabelStoreError(.invalid, "a dataset name must be 1 to 256 characters, got '\(name)'") }
        try db.execute(cached: "INSERT OR IGNORE INTO dataset (name, createdAt) VALUES (?, ?)", arguments: [name, now])
        return try dataset(named: name, db)
    }
}
