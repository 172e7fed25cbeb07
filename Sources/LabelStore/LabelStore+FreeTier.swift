extension LabelStore {
    /// How much of the free tier is used, and whether the store may go beyond it.
    public func freeTier() throws -> FreeTier {
        try database.read { db in try FreeTier.current(db) }
    }

    /// Opts in to (or back out of) labeling more than `FreeTier.cap` images. Opting out refuses new images
    /// again while over the cap; nothing labeled is removed.
    public func setLabelingBeyondFreeTier(_ allowed: Bool) throws {
        try database.write { db in
            try db.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [FreeTier.settingKey, allowed ? "yes" : "no"]
            )
        }
    }
}
