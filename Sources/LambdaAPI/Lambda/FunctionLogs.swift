import ControlPlane
import Foundation
import Logging

/// One line a function's execution environment logged, stamped when it arrived.
struct FunctionLogLine: Sendable {
    var time: Date
    var text: String
}

/// A function's CloudWatch Logs, as on AWS: group `/aws/lambda/<name>`, one stream
/// `YYYY/MM/DD/[$LATEST]<32 hex>` per execution environment, each invocation's START … REPORT lines (and the
/// runtime's init output before them) appended as events.
struct FunctionLogs: Sendable {
    let store: ControlPlaneStore
    let logger: Logger

    static func group(_ function: String) -> String { "/aws/lambda/\(function)" }

    /// The stream of an environment started at `date` (its UTC day) with id `environmentID`.
    static func stream(environmentID: String, date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy/MM/dd"
        return "\(formatter.string(from: date))/[$LATEST]\(environmentID.replacingOccurrences(of: "-", with: ""))"
    }

    /// Appends `lines` to the stream; a failed write is logged by the daemon, never fails the invocation.
    func append(function: String, stream: String, _ lines: [FunctionLogLine]) {
        guard !lines.isEmpty else { return }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        do {
            try store.appendLogEvents(
                group: Self.group(function), stream: stream, lines.map { (Int64($0.time.timeIntervalSince1970 * 1000), $0.text) }, now: now)
        } catch {
            logger.error("could not store a Lambda function's log", metadata: ["function": "\(function)", "error": "\(error)"])
        }
    }
}
