/// Ground Truth's free tier: the first 500 labeled objects (images, not boxes) are free. The store refuses to
/// label a 501st distinct image unless it has been opted in, and reports how many images are beyond the tier.
public struct FreeTier: Sendable, Equatable {
    /// Images that may be labeled without opting in.
    public static let cap = 500

    /// Labeled images in the whole store (all datasets).
    public let labeledImages: Int
    /// Whether labeling beyond the cap was allowed (`LabelStore.setLabelingBeyondFreeTier(true)`).
    public let optedIn: Bool

    /// Labeled images past the free tier.
    public var beyondFreeTier: Int { max(0, labeledImages - Self.cap) }

    static let settingKey = "labelingBeyondFreeTier"

    static func current(_ db: any LabelSQL) throws -> FreeTier {
        FreeTier(
            labeledImages: try db.value(Int.self, "SELECT COUNT(*) FROM labeledImage") ?? 0,
            optedIn: try db.value(String.self, "SELECT value FROM setting WHERE key = ?", [settingKey]) == "yes"
        )
    }

    /// Refuses a write that took the store past the cap, or further past it, without the opt-in. Called last
    /// in the write's transaction, so a refusal rolls everything back.
    static func check(_ db: any LabelSQL, labeledBefore: Int) throws {
        let now = try current(db)
        guard !now.optedIn, now.labeledImages > cap, now.labeledImages > labeledBefore else { return }
        let more = now.labeledImages - labeledBefore
        throw LabelStoreError(
            .freeTierExhausted,
            "refused: the free tier covers \(cap) labeled images and \(labeledBefore) are used; this would label \(more) more. "
                + "Nothing was changed. To label beyond the free tier, opt in: ctl labels free-tier --opt-in"
        )
    }
}
