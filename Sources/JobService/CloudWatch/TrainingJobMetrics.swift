import AWSProtocol
import ControlPlane
import Foundation
import SageMakerAPI

/// One value of a metric at a time, as CloudWatch stores it.
struct MetricDatapoint: Sendable, Equatable {
    /// Epoch seconds.
    var timestamp: Double
    var value: Double
}

/// A metric: namespace, name and dimensions (CloudWatch's identity of a time series).
struct MetricIdentity: Sendable, Hashable {
    var namespace: String
    var name: String
    /// Sorted by name.
    var dimensions: [MetricDimension]

    /// Orders ListMetrics' answer.
    var sortKey: String { ([namespace, name] + dimensions.flatMap { [$0.name, $0.value] }).joined(separator: "\u{0}") }

    var json: JSONValue {
        [
            "Namespace": .string(namespace), "MetricName": .string(name),
            "Dimensions": .array(dimensions.map { ["Name": .string($0.name), "Value": .string($0.value)] }),
        ]
    }
}

struct MetricDimension: Sendable, Hashable, Comparable {
    var name: String
    var value: String

    static func < (a: MetricDimension, b: MetricDimension) -> Bool { (a.name, a.value) < (b.name, b.value) }
}

/// Training jobs' metrics as SageMaker publishes them to CloudWatch: for each of the job's
/// `AlgorithmSpecification.MetricDefinitions`, every log line of the job (`/aws/sagemaker/TrainingJobs`, streams
/// `<job>/…`) its regex matches gives a datapoint — the first group's number at the line's timestamp. Published in
/// namespace `/aws/sagemaker/TrainingJobs` under dimension `Host=<job>/algo-1` (the console's) and
/// `TrainingJobName=<job>` (what the SageMaker Python SDK's `TrainingJobAnalytics` asks for). Read from the log on
/// every call, so a running job's metrics grow as it logs and nothing else is stored.
struct TrainingJobMetrics: Sendable {
    static let namespace = "/aws/sagemaker/TrainingJobs"
    /// Events read per store query.
    private static let pageSize = 10_000

    let store: ControlPlaneStore

    /// The metrics of every training job, or of `job` alone, with their datapoints (only metrics that have some).
    func series(job: String? = nil) throws -> [MetricIdentity: [MetricDatapoint]] {
        let jobs = try job.map { try store.resource(.trainingJob, named: $0).map { [$0] } ?? [] } ?? store.resources(.trainingJob)
        var series: [MetricIdentity: [MetricDatapoint]] = [:]
        for record in jobs {
            let definitions = Self.definitions(of: record.document)
            guard !definitions.isEmpty else { continue }
            var points: [String: [MetricDatapoint]] = [:]
            try forEachLine(of: record.name) { timestamp, message in
                let range = NSRange(message.startIndex..., in: message)
                for (name, regex) in definitions {
                    guard let match = regex.firstMatch(in: message, range: range), match.numberOfRanges > 1,
                        let group = Range(match.range(at: 1), in: message), let value = Double(message[group]), value.isFinite
                    else { continue }
                    points[name, default: []].append(MetricDatapoint(timestamp: timestamp, value: value))
                }
            }
            for (name, values) in points {
                for dimension in [
                    MetricDimension(name: "Host", value: "\(record.name)/algo-1"), MetricDimension(name: "TrainingJobName", value: record.name),
                ] {
                    series[MetricIdentity(namespace: Self.namespace, name: name, dimensions: [dimension])] = values
                }
            }
        }
        return series
    }

    /// The job's metric definitions with their compiled regexes; a regex that does not compile defines nothing.
    private static func definitions(of document: JSONValue) -> [(String, NSRegularExpression)] {
        let described = TrainingJobDescription.completed(document)
        return (described["AlgorithmSpecification"]?["MetricDefinitions"]?.arrayValue ?? []).compactMap { definition in
            guard let name = definition["Name"]?.stringValue, let pattern = definition["Regex"]?.stringValue,
                let regex = try? NSRegularExpression(pattern: pattern)
            else { return nil }
            return (name, regex)
        }
    }

    /// Every log event of the job's streams, oldest first: (epoch seconds, message).
    private func forEachLine(of job: String, _ body: (Double, String) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let page = try store.logEvents(
                group: Self.namespace,
                streams: nil,
                prefix: "\(job)/",
                after: after,
                start: nil,
                end: nil,
                limit: Self.pageSize
            )
            for (_, event) in page { try body(Double(event.timestamp) / 1000, event.message) }
            guard page.count == Self.pageSize, let last = page.last else { return }
            after = last.event.id
        }
    }
}
