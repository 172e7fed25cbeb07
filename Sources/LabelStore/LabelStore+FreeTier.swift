import GRDB

extension LabelStore {
    /// How much of the free tier is used, and whether the store may go beyond it.
    public func freeTier() throws -> FreeTier {
        try dbWriter.read { db in try FreeTier.current(db) }
    }

    /// Opts in to (or back out of) labeling more than `FreeTier.cap` images. Opting out refuses new images
    /// again while over the cap; nothing labeled is removed.
    public func setLabelingBeyondFreeTier(_ allowed: Bool) throws {
        try dbWriter.write { db in
            try db.execute(
                cached: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [FreeTier.settingKey, allowed ? "yes" : "no"]
            )
        }
    }
}
