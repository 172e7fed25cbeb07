import AWSProtocol
import Foundation

/// CloudWatch's aggregation of datapoints into periods: which periods it accepts, which statistics it computes
/// (`SampleCount`, `Average`, `Sum`, `Minimum`, `Maximum`, percentiles `p0.0`–`p100`), and the buckets, aligned to
/// whole multiples of the period since the epoch, each stamped with its start.
enum MetricStatistics {
    static let basic: Set<String> = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"]

    /// - Throws: `InvalidParameterValue` unless `period` is 1, 5, 10, 30 or a multiple of 60 seconds.
    static func checkPeriod(_ period: Int?, member: String) throws -> Int {
        guard let period, period > 0, [1, 5, 10, 30].contains(period) || period % 60 == 0 else {
            throw AWSError(
                "InvalidParameterValue",
                "The parameter \(member) must be 1, 5, 10, 30 or a multiple of 60 seconds, got \(period.map(String.init) ?? "none")."
            )
        }
        return period
    }

    /// The percentile of a statistic name like `p90` or `p99.9`, nil for anything else.
    static func percentile(_ statistic: String) -> Double? {
        guard statistic.hasPrefix("p"), let value = Double(statistic.dropFirst()), (0...100).contains(value) else { return nil }
        return value
    }

    /// - Throws: `InvalidParameterValue` naming the statistic CloudWatch does not know.
    static func check(_ statistic: String) throws {
        guard basic.contains(statistic) || percentile(statistic) != nil else {
            throw AWSError(
                "InvalidParameterValue",
                "The statistic \(statistic) is not valid: use SampleCount, Average, Sum, Minimum, Maximum or a percentile such as p90."
            )
        }
    }

    /// The datapoints within `[start, end)` grouped by period, oldest first.
    static func buckets(_ points: [MetricDatapoint], start: Double, end: Double, period: Int) -> [(start: Double, values: [Double])] {
        var buckets: [Double: [Double]] = [:]
        for point in points where point.timestamp >= start && point.timestamp < end {
            let bucket = (point.timestamp / Double(period)).rounded(.down) * Double(period)
            buckets[bucket, default: []].append(point.value)
        }
        return buckets.sorted { $0.key < $1.key }.map { (start: $0.key, values: $0.value) }
    }

    /// One statistic of a bucket's values (never empty).
    static func value(_ statistic: String, of values: [Double]) -> Double {
        switch statistic {
        case "SampleCount": return Double(values.count)
        case "Sum": return values.reduce(0, +)
        case "Average": return values.reduce(0, +) / Double(values.count)
        case "Minimum": return values.min() ?? 0
        case "Maximum": return values.max() ?? 0
        default:
            // Nearest rank.
            let sorted = values.sorted()
            let rank = Int(((percentile(statistic) ?? 100) / 100 * Double(sorted.count)).rounded(.up))
            return sorted[min(max(rank, 1), sorted.count) - 1]
        }
    }
}
