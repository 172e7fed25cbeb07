/// A worker's answer to a bounding-box verification task (Ground Truth's `PRE-VerificationBoundingBox`): whether
/// the previous job's boxes on the image are good or bad, with an optional comment (the output's `worker-feedback`).
public struct VerificationAnswer: Sendable, Equatable {
    public enum Verdict: String, Sendable, CaseIterable {
        case good
        case bad
    }

    public var verdict: Verdict
    /// The worker's comment; nil (or blank) when none was entered.
    public var comment: String?

    public init(_ verdict: Verdict, comment: String? = nil) {
        self.verdict = verdict
        let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        self.comment = trimmed.isEmpty ? nil : trimmed
    }

    /// Comments longer than this are refused (a worker's note, not a document).
    public static let maxCommentLength = 2_000
}
