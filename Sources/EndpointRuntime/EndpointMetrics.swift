import Foundation
import Prometheus

/// One endpoint's counters, kept by the runtime: invocations, errors by code, request latency and batch sizes. They
/// are recorded twice over: into swift-prometheus collectors, which write `/metrics` and cannot be read back, and
/// into `EndpointFigures`, the JSON `ctl endpoints describe` reads (`GET /_apiary/endpoints/{name}/metrics`).
final class EndpointMetrics: @unchecked Sendable {
    /// Upper bounds (seconds) of the latency histogram buckets.
    static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    static let batchBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64]

    private static var invocations: MetricNameDescriptor { series("invocations", "total", "InvokeEndpoint requests answered.") }
    private static var errors: MetricNameDescriptor { series("errors", "total", "InvokeEndpoint requests answered with an error, by error code.") }
    private static var latency: MetricNameDescriptor { series("latency", "seconds", "InvokeEndpoint latency inside the daemon.") }
    private static var batchSize: MetricNameDescriptor { series("batch", "size", "Images per inference batch.") }

    /// `apiary_endpoint_<name>_<unit>`.
    private static func series(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "apiary", subsystem: "endpoint", metricName: name, unitName: unit, helpText: help)
    }

    private let endpoint: String
    private let registry: PrometheusCollectorRegistry
    private let invocationsCounter: Counter
    private let latencyHistogram: ValueHistogram
    private let batchHistogram: ValueHistogram
    private let lock = NSLock()
    private var errorCounters: [String: Counter] = [:]
    /// Unregistered: an invocation still finishing on a deleted endpoint registers no new series.
    private var retired = false
    private var figures = EndpointFigures(latencyBuckets: latencyBuckets, batchBuckets: batchBuckets)

    /// Registers this endpoint's series (labelled `endpoint`) in `registry`.
    init(endpoint: String, registry: PrometheusCollectorRegistry) {
        self.endpoint = endpoint
        self.registry = registry
        let labels = [("endpoint", endpoint)]
        invocationsCounter = registry.makeCounter(descriptor: Self.invocations, labels: labels)
        latencyHistogram = registry.makeValueHistogram(descriptor: Self.latency, labels: labels, buckets: Self.latencyBuckets)
        batchHistogram = registry.makeValueHistogram(descriptor: Self.batchSize, labels: labels, buckets: Self.batchBuckets)
    }

    func recordInvocation(seconds: Double, errorCode: String?) {
        invocationsCounter.increment()
        latencyHistogram.record(seconds)
        lock.withLock {
            figures.invocations += 1
            figures.latencySeconds.record(seconds)
            guard let errorCode else { return }
            figures.errors[errorCode, default: 0] += 1
            guard !retired else { return }
            if errorCounters[errorCode] == nil {
                errorCounters[errorCode] = registry.makeCounter(descriptor: Self.errors, labels: [("endpoint", endpoint), ("code", errorCode)])
            }
            errorCounters[errorCode]!.increment()
        }
    }

    func recordBatch(size: Int) {
        batchHistogram.record(Double(size))
        lock.withLock { figures.batchSize.record(Double(size)) }
    }

    /// The figures so far.
    var snapshot: EndpointFigures { lock.withLock { figures } }

    /// Takes this endpoint's series out of `/metrics` (the endpoint was deleted, or the state wiped).
    func unregister() {
        registry.unregisterCounter(invocationsCounter)
        registry.unregisterValueHistogram(latencyHistogram)
        registry.unregisterValueHistogram(batchHistogram)
        lock.withLock {
            retired = true
            errorCounters.values.forEach(registry.unregisterCounter)
        }
    }
}
