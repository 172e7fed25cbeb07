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
