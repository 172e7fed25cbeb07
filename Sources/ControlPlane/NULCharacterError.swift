/// A name or ARN with the NUL character (U+0000, `%00` in a request's path), which no stored resource, tag or log
/// stream has: SQLite compared such text up to the NUL (so `m%00` found, changed and deleted `m`) and PostgreSQL cannot
/// hold it. `ControlPlaneStore` finds nothing under such a name and refuses to store one, a client error.
public struct NULCharacterError: Error, CustomStringConvertible {
    /// What carried it: "name", "ARN", "log group", ….
    public let field: String

    public var description: String { "the \(field) carries the NUL character (U+0000), which Apiary cannot store; remove it" }

    /// Whether any of `texts` has the NUL character.
    static func isIn(_ texts: String...) -> Bool { texts.contains { $0.contains("\0") } }
}
