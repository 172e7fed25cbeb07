/// Why the store refused a request. The message says what is wrong and how to fix it; `kind` tells a caller
/// which exit code or AWS error it maps to.
public struct LabelStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A dataset, image, box, class or labeling job that does not exist.
        case notFound
        /// Data that breaks a rule: a box outside its image, an unknown class, a malformed file.
        case invalid
        /// A name already taken, or a change that conflicts with the current state.
        case conflict
        /// Labeling one more image would go past the free tier, and the store has not been opted in.
        case freeTierExhausted
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
