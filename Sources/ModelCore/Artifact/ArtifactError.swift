/// Why a model artifact could not be written or read: names the file and the problem, so an endpoint's
/// `FailureReason` tells the user what to fix.
public struct ArtifactError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
