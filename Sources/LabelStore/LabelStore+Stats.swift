/// A dataset's labeling progress and class balance, with the store's free-tier usage.
public struct DatasetStats: Sendable, Equatable {
    /// Boxes and images of one class.
    public struct ClassCount: Sendable, Equatable {
        public let category: LabelCategory
        public let boxes: Int
        /// Images with at least one box of this class.
        public let images: Int
    }

    /// A class with this many times the boxes of another is flagged as an imbalance.
    public static let imbalanceRatio = 10
    /// Below this many boxes in the largest class there is too little to judge balance.
    public static let imbalanceMinimumBoxes = 10

    public let dataset: Dataset
    public let images: Int
    public let labeledImages: Int
    public let boxes: Int
    public let classes: [ClassCount]
    /// Labeled images by their number of boxes: `[0: 3, 1: 40, 2: 7]`.
    public let boxesPerImage: [Int: Int]
    public let freeTier: FreeTier

    public var unlabeledImages: Int { images - labeledImages }

    /// A warning when the most common class has at least `imbalanceRatio` times the boxes of the rarest (which
    /// may have none), once there is enough to judge; `nil` otherwise.
    public var imbalanceWarning: String? {
        guard classes.count >= 2, let most = classes.max(by: { $0.boxes < $1.boxes }), let least = classes.min(by: { $0.boxes < $1.boxes }),
            most.boxes >= Self.imbalanceMinimumBoxes, least.boxes * Self.imbalanceRatio <= most.boxes
        else { return nil }
        let ratio =
            least.boxes == 0 ? "and '\(least.category.name)' none" : "but '\(least.category.name)' only \(least.boxes) (\(most.boxes / least.boxes)×)"
        return "class imbalance: '\(most.category.name)' has \(most.boxes) boxes \(ratio); a detector trained on this will rarely find "
            + "'\(least.category.name)'. Label more '\(least.category.name)' or leave that class out."
    }
}

extension LabelStore {
    /// Counts for `ctl labels stats`.
    public func stats(of dataset: Dataset) throws -> DatasetStats {
        try database.read { db in
            let categories = try LabelCategory.fetchAll(datasetId: dataset.id, db)
            var boxes: [Int: Int] = [:]
            var images: [Int: Int] = [:]
            for row in try db.fetchAll(
                "SELECT classId, COUNT(*) AS boxes, COUNT(DISTINCT imageId) AS images FROM box WHERE datasetId = ? GROUP BY classId",
                [dataset.id]
            ) {
                boxes[row["classId"]] = row["boxes"]
                images[row["classId"]] = row["images"]
            }
            var perImage: [Int: Int] = [:]
            for count in try db.values(
                Int.self,
                """
                SELECT (SELECT COUNT(*) FROM box WHERE box.imageId = image.id) FROM image
                WHERE image.datasetId = ? AND image.id IN (SELECT imageId FROM labeledImage)
                """,
                [dataset.id]
            ) {
                perImage[count, default: 0] += 1
            }
            return DatasetStats(
                dataset: dataset,
                images: try db.value(Int.self, "SELECT COUNT(*) FROM image WHERE datasetId = ?", [dataset.id]) ?? 0,
                labeledImages: perImage.values.reduce(0, +),
                boxes: boxes.values.reduce(0, +),
                classes: categories.map { DatasetStats.ClassCount(category: $0, boxes: boxes[$0.classId] ?? 0, images: images[$0.classId] ?? 0) },
                boxesPerImage: perImage,
                freeTier: try FreeTier.current(db)
            )
        }
    }
}
