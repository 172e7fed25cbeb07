extension LabelStore {
    /// Deletes every dataset, image, label, history entry, labeling job and setting in one transaction, leaving the
    /// empty store a fresh one would be (the daemon's `POST /moto-api/reset` test hook). The schema stays.
    public func removeAll() throws {
        try database.write { db in
            // Children before parents, so no foreign key is ever left dangling.
            for table in [
                "labelingJobAnswer", "labelingJobItem", "labelingJob", "labeledImage", "labelChange", "revision", "box", "labelCategory", "image",
                "imageContent", "dataset", "setting",
            ] {
                try db.execute("DELETE FROM \(table)")
            }
        }
    }
}
