/// A class boxes can have in a dataset. `classId` is its index in the label category list — Ground Truth's
/// `class_id` — and never changes; renaming a class changes only `name`, so no box is lost or moved.
public struct LabelCategory: Sendable, Equatable, Codable {
    public let classId: Int
    public let name: String

    public init(classId: Int, name: String) {
        self.classId = classId
        self.name = name
    }
}

extension LabelCategory {
    /// A dataset's classes in class-id order.
    static func fetchAll(datasetId: Int64, _ db: any LabelSQL) throws -> [LabelCategory] {
        try db.fetchAll("SELECT classId, name FROM labelCategory WHERE datasetId = ? ORDER BY classId", [datasetId]).map {
            LabelCategory(classId: $0["classId"], name: $0["name"])
        }
    }

    /// `0=bee, 1=wasp`, or how to add the first class: for messages.
    static func list(_ categories: [LabelCategory]) -> String {
        categories.isEmpty ? "none yet (ctl labels categories add NAME…)" : categories.map { "\($0.classId)=\($0.name)" }.joined(separator: ", ")
    }
}
