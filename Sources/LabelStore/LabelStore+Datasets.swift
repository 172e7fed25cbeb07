import Foundation

extension LabelStore {
    /// All datasets, by name.
    public func datasets() throws -> [Dataset] {
        try database.read { db in try db.fetchAll("SELECT * FROM dataset ORDER BY name").map(Dataset.init) }
    }

    /// The dataset called `name`.
    /// - Throws: `LabelStoreError` (`.notFound`) listing the datasets there are.
    public func dataset(named name: String) throws -> Dataset {
        try database.read { db in try Self.dataset(named: name, db) }
    }

    /// The dataset called `name`, created empty if there is none.
    public func ensureDataset(named name: String, now: Date = Date()) throws -> Dataset {
        try database.write { db in try Self.ensureDataset(named: name, now: now, db) }
    }

    /// A name with the NUL character is no dataset's (SQLite would compare it up to the NUL; PostgreSQL cannot hold it).
    static func dataset(named name: String, _ db: any LabelSQL) throws -> Dataset {
        if !name.contains("\0"), let row = try db.fetchOne("SELECT * FROM dataset WHERE name = ?", [name]) { return Dataset(row: row) }
        let names = try db.values(String.self, "SELECT name FROM dataset ORDER BY name")
        let known = names.isEmpty ? "there are none yet (ctl datasets import DIR --dataset NAME)" : "there are: " + names.joined(separator: ", ")
        throw LabelStoreError(.notFound, "no dataset named '\(name)'; \(known)")
    }

    static func ensureDataset(named name: String, now: Date, _ db: any LabelSQL) throws -> Dataset {
        guard !name.isEmpty, name.count <= 256 else { throw LabelStoreError(.invalid, "a dataset name must be 1 to 256 characters, got '\(name)'") }
        guard !name.contains("\0") else { throw LabelStoreError(.invalid, "a dataset name cannot carry the NUL character (U+0000)") }
        try db.execute("INSERT INTO dataset (name, createdAt) VALUES (?, ?) ON CONFLICT DO NOTHING", [name, now])
        return try dataset(named: name, db)
    }
}
