import AWSProtocol
import ControlPlane

/// The CloudWatch metric reads the SageMaker SDK and notebooks make on training jobs (the protocol botocore's
/// `cloudwatch` model picks: JSON 1.0, `X-Amz-Target: GraniteServiceVersion20100801.<Operation>`): ListMetrics,
/// GetMetricStatistics and GetMetricData over `TrainingJobMetrics`. Metrics cannot be written (PutMetricData and
/// alarms are not served); metric math expressions are refused.
struct MetricsService: Sendable {
    static let targetPrefix = "GraniteServiceVersion20100801"
    /// ListMetrics' page size, as CloudWatch's.
    static let listPageSize = 500

    let metrics: TrainingJobMetrics

    init(store: ControlPlaneStore) {
        metrics = TrainingJobMetrics(store: store)
    }

    func handle(_ operation: String, _ input: JSONValue) throws -> JSONValue {
        switch operation {
        case "ListMetrics": return try listMetrics(input)
        case "GetMetricStatistics": return try getMetricStatistics(input)
        case "GetMetricData": return try getMetricData(input)
        default: throw AWSError.unknownOperation("CloudWatch \(operation)")
        }
    }

    private func listMetrics(_ input: JSONValue) throws -> JSONValue {
        let filters = (input["Dimensions"]?.arrayValue ?? []).map { ($0["Name"]?.stringValue ?? "", $0["Value"]?.stringValue) }
        let matching = try candidates(input).keys.filter { metric in
            (input["Namespace"]?.stringValue.map { $0 == metric.namespace } ?? true)
                && (input["MetricName"]?.stringValue.map { $0 == metric.name } ?? true)
                && filters.allSatisfy { name, value in metric.dimensions.contains { $0.name == name && (value == nil || $0.value == value) } }
        }.sorted { $0.sortKey < $1.sortKey }
        let start =
            try input["NextToken"]?.stringValue.map { token -> Int in
                guard let offset = Int(token), offset >= 0, offset <= matching.count else {
                    throw AWSError("InvalidParameterValue", "The NextToken \(token) is not valid.")
                }
                return offset
            } ?? 0
        let page = matching.dropFirst(start).prefix(Self.listPageSize)
        var output: JSONValue = ["Metrics": .array(page.map(\.json))]
        if start + page.count < matching.count { output["NextToken"] = .string(String(start + page.count)) }
        return output
    }

    private func getMetricStatistics(_ input: JSONValue) throws -> JSONValue {
        let metric = try identity(input, path: "")
        let (start, end) = try interval(input)
        let period = try MetricStatistics.checkPeriod(input["Period"]?.intValue, member: "Period")
        let statistics = (input["Statistics"]?.arrayValue ?? []).compactMap(\.stringValue)
        let extended = (input["ExtendedStatistics"]?.arrayValue ?? []).compactMap(\.stringValue)
        guard !statistics.isEmpty || !extended.isEmpty else {
            throw AWSError("InvalidParameterCombination", "Must specify either Statistics or ExtendedStatistics, but not both.")
        }
        for statistic in statistics where !MetricStatistics.basic.contains(statistic) {
            throw AWSError("InvalidParameterValue", "The statistic \(statistic) is not one of SampleCount, Average, Sum, Minimum, Maximum.")
        }
        for statistic in extended where MetricStatistics.percentile(statistic) == nil { try MetricStatistics.check(statistic) }
        let points = try candidates(input)[metric] ?? []
        let datapoints = MetricStatistics.buckets(points, start: start, end: end, period: period).map { bucket -> JSONValue in
            var datapoint: JSONValue = ["Timestamp": .double(bucket.start), "Unit": "None"]
            for statistic in statistics { datapoint[statistic] = .double(MetricStatistics.value(statistic, of: bucket.values)) }
            if !extended.isEmpty {
                datapoint["ExtendedStatistics"] = .object(
                    Dictionary(uniqueKeysWithValues: extended.map { ($0, .double(MetricStatistics.value($0, of: bucket.values))) })
                )
            }
            return datapoint
        }
        return ["Label": .string(metric.name), "Datapoints": .array(datapoints)]
    }

    private func getMetricData(_ input: JSONValue) throws -> JSONValue {
        let (start, end) = try interval(input)
        guard let queries = input["MetricDataQueries"]?.arrayValue, !queries.isEmpty, queries.count <= 500 else {
            throw AWSError("ValidationError", "MetricDataQueries must hold 1 to 500 queries.")
        }
        let newestFirst = (input["ScanBy"]?.stringValue ?? "TimestampDescending") == "TimestampDescending"
        var results: [JSONValue] = []
        for (index, query) in queries.enumerated() {
            let path = "MetricDataQueries.member.\(index + 1)"
            guard let id = query["Id"]?.stringValue else { throw AWSError("MissingParameter", "The parameter \(path).Id is required.") }
            guard query["Expression"] == nil else {
                throw AWSError("ValidationError", "\(path): Apiary does not evaluate metric math expressions; query a MetricStat.")
            }
            guard let stat = query["MetricStat"] else {
                throw AWSError("MissingParameter", "The parameter \(path).MetricStat is required when no Expression is given.")
            }
            let metric = try identity(stat["Metric"] ?? [:], path: "\(path).MetricStat.Metric.")
            let period = try MetricStatistics.checkPeriod(stat["Period"]?.intValue, member: "\(path).MetricStat.Period")
            let statistic = stat["Stat"]?.stringValue ?? ""
            try MetricStatistics.check(statistic)
            guard query["ReturnData"]?.boolValue ?? true else { continue }
            var buckets = MetricStatistics.buckets(try candidates(metric)[metric] ?? [], start: start, end: end, period: period)
            if newestFirst { buckets.reverse() }
            results.append([
                "Id": .string(id), "Label": .string(query["Label"]?.stringValue ?? metric.name),
                "Timestamps": .array(buckets.map { .double($0.start) }),
                "Values": .array(buckets.map { .double(MetricStatistics.value(statistic, of: $0.values)) }),
                "StatusCode": "Complete", "Messages": [],
            ])
        }
        return ["MetricDataResults": .array(results), "Messages": []]
    }

    /// The series a request can be about: one training job's when its dimensions name one, else all.
    private func candidates(_ input: JSONValue) throws -> [MetricIdentity: [MetricDatapoint]] {
        try candidates(dimensions: Self.dimensions(input))
    }

    private func candidates(_ metric: MetricIdentity) throws -> [MetricIdentity: [MetricDatapoint]] {
        try candidates(dimensions: metric.dimensions)
    }

    private func candidates(dimensions: [MetricDimension]) throws -> [MetricIdentity: [MetricDatapoint]] {
        let job = dimensions.lazy.compactMap { dimension -> String? in
            switch dimension.name {
            case "TrainingJobName": return dimension.value.isEmpty ? nil : dimension.value
            case "Host": return dimension.value.lastIndex(of: "/").map { String(dimension.value[..<$0]) }
            default: return nil
            }
        }.first
        return try metrics.series(job: job)
    }

    private static func dimensions(_ input: JSONValue) -> [MetricDimension] {
        (input["Dimensions"]?.arrayValue ?? []).map { MetricDimension(name: $0["Name"]?.stringValue ?? "", value: $0["Value"]?.stringValue ?? "") }
    }

    /// The metric a request names; CloudWatch matches the dimensions exactly.
    private func identity(_ input: JSONValue, path: String) throws -> MetricIdentity {
        guard let namespace = input["Namespace"]?.stringValue else {
            throw AWSError("MissingParameter", "The parameter \(path)Namespace is required.")
        }
        guard let name = input["MetricName"]?.stringValue else { throw AWSError("MissingParameter", "The parameter \(path)MetricName is required.") }
        return MetricIdentity(namespace: namespace, name: name, dimensions: Self.dimensions(input).sorted())
    }

    /// `StartTime` and `EndTime` (epoch seconds), start before end.
    private func interval(_ input: JSONValue) throws -> (Double, Double) {
        guard let start = AWSTimestamp.parse(input["StartTime"]) else { throw AWSError("MissingParameter", "The parameter StartTime is required.") }
        guard let end = AWSTimestamp.parse(input["EndTime"]) else { throw AWSError("MissingParameter", "The parameter EndTime is required.") }
        guard start < end else { throw AWSError("InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime.") }
        return (start, end)
    }
}
