/// How deep a JSON text may nest before it is parsed. Foundation's decoder spends time quadratic in the depth (a
/// few hundred levels cost half a second of CPU per request); AWS's request shapes nest a dozen levels at most.
/// One linear pass over the bytes refuses anything deeper, so every JSON body costs time linear in its size.
public struct JSONNestingLimit: Error, Sendable, CustomStringConvertible {
    /// Objects and arrays inside one another, counting the outermost.
    public static let maximumDepth = 64

    public var description: String { "The JSON text nests objects and arrays deeper than \(Self.maximumDepth) levels." }

    /// - Throws: `JSONNestingLimit` when brackets outside strings nest deeper than `maximumDepth`.
    static func check(_ bytes: some Collection<UInt8>) throws {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                guard depth <= maximumDepth else { throw JSONNestingLimit() }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
    }
}
