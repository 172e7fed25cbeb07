import AWSProtocol
import Foundation

/// Printing answers: `--json` prints the API's answer byte for byte where there is one, else ctl's own JSON
/// (pretty, keys sorted), for scripts; timestamps for people print as UTC dates.
enum JSONOutput {
    /// An API answer as the daemon sent it, then a newline.
    static func print(answer: Data) {
        FileHandle.standardOutput.write(answer)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    static func print(_ value: JSONValue) {
        let data = Data(value.renderedBytes)
        if let object = try? JSONSerialization.jsonObject(with: data),
            let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        {
            Swift.print(String(decoding: pretty, as: UTF8.self))
        } else {
            Swift.print(value.rendered())
        }
    }

    /// An AWS timestamp (epoch seconds) as `2026-11-29 19:40:12`.
    static func date(_ value: JSONValue?) -> String {
        guard let seconds = value?.doubleValue else { return "-" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
