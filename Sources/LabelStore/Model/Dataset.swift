import Foundation

/// A named set of images with its label categories and boxes; the scope of labeling (a labeling job labels
/// its own dataset, `labeling-job/<name>`).
public struct Dataset: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let createdAt: Date

    init(row: SQLRow) {
        id = row["id"]
        name = row["name"]
        createdAt = row["createdAt"]
    }
}
