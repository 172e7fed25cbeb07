/// Why an image could not be decoded or encoded. The message names the library's own reason.
public struct ImageCodecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A human-readable reason, e.g. "not a JPEG or PNG file (starts with 47 49 46 38)".
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
