import Foundation

/// The two ways S3 writes instants: ISO 8601 with milliseconds in XML (`2026-11-29T14:43:23.000Z`) and the HTTP
/// date of RFC 7231 in headers (`Sun, 29 Nov 2026 14:43:23 GMT`), which it also parses for conditionals.
enum S3Date {
    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func iso8601(_ date: Date) -> String {
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            c.year!,
            c.month!,
            c.day!,
            c.hour!,
            c.minute!,
            c.second!,
            min(999, c.nanosecond! / 1_000_000)
        )
    }

    static func http(_ date: Date) -> String {
        let c = utc.dateComponents([.weekday, .year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d GMT",
            weekdays[c.weekday! - 1],
            c.day!,
            months[c.month! - 1],
            c.year!,
            c.hour!,
            c.minute!,
            c.second!
        )
    }

    /// Parses an IMF-fixdate (`Sun, 29 Nov 2026 14:43:23 GMT`); nil for anything else.
    static func parseHTTP(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        let components = DateComponents(year: year, month: month + 1, day: day, hour: time[0], minute: time[1], second: time[2])
        guard components.isValidDate(in: utc) else { return nil }
        return utc.date(from: components)
    }
}
