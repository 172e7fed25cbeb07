import Foundation

/// Who a request acts for, taken from its SigV4 credential scope by the edge: the region (also in ARNs), the
/// account (configured; ARNs), and the request's id (`x-amzn-RequestId`).
public struct AWSRequestContext: Sendable {
    public var region: String
    public var account: String
    public var requestID: String
    /// The time the request arrived, epoch seconds with millisecond precision (AWS timestamps).
    public var now: Double

    public init(region: String, account: String, requestID: String = UUID().uuidString.lowercased(), now: Date = Date()) {
        self.region = region
        self.account = account
        self.requestID = requestID
        self.now = AWSTimestamp.seconds(now)
    }
}

/// AWS's JSON timestamps: epoch seconds, millisecond precision.
public enum AWSTimestamp {
    public static func seconds(_ date: Date) -> Double {
        (date.timeIntervalSince1970 * 1000).rounded() / 1000
    }

    /// Reads a timestamp member: epoch seconds (int or fractional) or an ISO-8601 string.
    public static func parse(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .string(let s):
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: s) { return date.timeIntervalSince1970 }
            formatter.formatOptions = [.withInternetDateTime]
            return formatter.date(from: s)?.timeIntervalSince1970 ?? Double(s)
        default: return nil
        }
    }
}
