/// An endpoint's serving figures as JSON (`GET /_apiary/endpoints/{name}/metrics`): what `ctl endpoints describe`
/// shows, read as data rather than out of the Prometheus text. One type on both sides of the wire.
public struct EndpointFigures: Codable, Sendable, Equatable {
    /// A histogram: cumulative counts per upper bound (Prometheus's `le`), the sum and the count of the values.
    public struct Histogram: Codable, Sendable, Equatable {
        public struct Bucket: Codable, Sendable, Equatable {
            public var upperBound: Double
            /// Values at most `upperBound`.
            public var count: Int
            enum CodingKeys: String, CodingKey {
                case upperBound = "UpperBound"
                case count = "Count"
            }
        }
        public var buckets: [Bucket]
        public var sum = 0.0
        public var count = 0

        init(upperBounds: [Double]) { buckets = upperBounds.map { Bucket(upperBound: $0, count: 0) } }

        mutating func record(_ value: Double) {
            for i in buckets.indices where value <= buckets[i].upperBound { buckets[i].count += 1 }
            sum += value
            count += 1
        }

        /// The smallest bucket bound at or below which a `q` share of the values fall; nil with no values, or when
        /// that share lies past the last bound.
        public func upperBound(atQuantile q: Double) -> Double? {
            guard count > 0 else { return nil }
            return buckets.first { Double($0.count) >= q * Double(count) }?.upperBound
        }

        /// The values' mean; nil with no values.
        public var mean: Double? { count > 0 ? sum / Double(count) : nil }

        enum CodingKeys: String, CodingKey {
            case buckets = "Buckets"
            case sum = "Sum"
            case count = "Count"
        }
    }

    public var invocations = 0
    /// Invocations answered with an error, by error code.
    public var errors: [String: Int] = [:]
    public var latencySeconds: Histogram
    public var batchSize: Histogram

    init(latencyBuckets: [Double], batchBuckets: [Double]) {
        latencySeconds = Histogram(upperBounds: latencyBuckets)
        batchSize = Histogram(upperBounds: batchBuckets)
    }

    enum CodingKeys: String, CodingKey {
        case invocations = "Invocations"
        case errors = "Errors"
        case latencySeconds = "LatencySeconds"
        case batchSize = "BatchSize"
    }
}
