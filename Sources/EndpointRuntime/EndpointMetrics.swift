import Foundation

/// One endpoint's counters, kept by the runtime and shown by `ctl endpoints describe` and `/metrics`
/// (Prometheus text format): invocations, errors by code, request latency and batch sizes.
final class EndpointMetrics: @unchecked Sendable {
    /// Upper bounds (seconds) of the latency histogram buckets.
    static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    static let batchBuckets: [Int] = [1, 2, 4, 8, 16, 32, 64]

    private let lock = NSLock()
    private(set) var invocations = 0
    private(set) var errors: [String: Int] = [:]
    private var latencyCounts = [Int](repeating: 0, count: latencyBuckets.count + 1)
    private var latencySum = 0.0
    private var batchCounts = [Int](repeating: 0, count: batchBuckets.count + 1)
    private var batches = 0
    private var batchItems = 0

    func recordInvocation(seconds: Double, errorCode: String?) {
        lock.withLock {
            invocations += 1
            if let errorCode { errors[errorCode, default: 0] += 1 }
            latencyCounts[Self.latencyBuckets.firstIndex { seconds <= $0 } ?? Self.latencyBuckets.count] += 1
            latencySum += seconds
        }
    }

    func recordBatch(size: Int) {
        lock.withLock {
            batches += 1
            batchItems += size
            batchCounts[Self.batchBuckets.firstIndex { size <= $0 } ?? Self.batchBuckets.count] += 1
        }
    }

    /// This endpoint's series in Prometheus text format.
    func prometheus(endpoint: String) -> String {
        lock.withLock {
            let label = "endpoint=\"\(endpoint)\""
            var out = "apiary_endpoint_invocations_total{\(label)} \(invocations)\n"
            for (code, count) in errors.sorted(by: { $0.key < $1.key }) {
                out += "apiary_endpoint_errors_total{\(label),code=\"\(code)\"} \(count)\n"
            }
            var cumulative = 0
            for (i, bound) in Self.latencyBuckets.enumerated() {
                cumulative += latencyCounts[i]
                out += "apiary_endpoint_latency_seconds_bucket{\(label),le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "apiary_endpoint_latency_seconds_bucket{\(label),le=\"+Inf\"} \(invocations)\n"
            out += "apiary_endpoint_latency_seconds_sum{\(label)} \(latencySum)\napiary_endpoint_latency_seconds_count{\(label)} \(invocations)\n"
            cumulative = 0
            for (i, bound) in Self.batchBuckets.enumerated() {
                cumulative += batchCounts[i]
                out += "apiary_endpoint_batch_size_bucket{\(label),le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "apiary_endpoint_batch_size_bucket{\(label),le=\"+Inf\"} \(batches)\n"
            out += "apiary_endpoint_batch_size_sum{\(label)} \(batchItems)\napiary_endpoint_batch_size_count{\(label)} \(batches)\n"
            return out
        }
    }

    static let prometheusHeader = """
        # HELP apiary_endpoint_invocations_total InvokeEndpoint requests answered.
        # TYPE apiary_endpoint_invocations_total counter
        # HELP apiary_endpoint_errors_total InvokeEndpoint requests answered with an error, by error code.
        # TYPE apiary_endpoint_errors_total counter
        # HELP apiary_endpoint_latency_seconds InvokeEndpoint latency inside the daemon.
        # TYPE apiary_endpoint_latency_seconds histogram
        # HELP apiary_endpoint_batch_size Images per inference batch.
        # TYPE apiary_endpoint_batch_size histogram

        """
}
