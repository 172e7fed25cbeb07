import Foundation
import GroundTruthFormat

/// One entry of the append-only label history: what a write did to one box (or, for `submit`, to an image).
public struct LabelChange: Sendable, Equatable {
    public enum Action: String, Sendable {
        /// A box was drawn.
        case add
        /// A box was moved, resized or given another class.
        case update
        /// A box was removed.
        case delete
        /// An image was marked labeled without a box change ("no object").
        case submit
        /// An earlier change (`undoes`) was reversed; `before`/`after` describe the reversal.
        case undo
    }

    public let id: Int64
    /// The write this change belongs to; one write (one transaction) may change many boxes.
    public let revisionId: Int64
    public let at: Date
    public let imageId: Int64
    public let boxId: Int64?
    public let action: Action
    /// The box before and after the change; `nil` where it did not exist.
    public let before: GroundTruthAnnotation?
    public let after: GroundTruthAnnotation?
    /// For `undo`: the change reversed.
    public let undoes: Int64?
    /// Whether a later `undo` reversed this change.
    public let undone: Bool

    init(row: SQLRow) throws {
        id = row["id"]
        revisionId = row["revisionId"]
        at = Date(timeIntervalSince1970: row["at"])
        imageId = row["imageId"]
        boxId = row["boxId"]
        action = Action(rawValue: row["action"]) ?? .update
        before = try Self.decode(row["before"])
        after = try Self.decode(row["after"])
        undoes = row["undoes"]
        undone = row["undone"]
    }

    /// Selects history rows with their revision's time and whether they were undone; append `WHERE …`.
    static let selectSQL = """
        SELECT c.*, r.at, EXISTS (SELECT 1 FROM labelChange u WHERE u.undoes = c.id) AS undone
        FROM labelChange c JOIN revision r ON r.id = c.revisionId
        """

    /// A box as the history stores it: Ground Truth's annotation JSON (`class_id`, `left`, …), numbers exact.
    static func encode(_ annotation: GroundTruthAnnotation?) throws -> String? {
        guard let annotation else { return nil }
        return String(decoding: try JSONEncoder().encode(annotation), as: UTF8.self)
    }

    static func decode(_ text: String?) throws -> GroundTruthAnnotation? {
        guard let text else { return nil }
        return try JSONDecoder().decode(GroundTruthAnnotation.self, from: Data(text.utf8))
    }
}
