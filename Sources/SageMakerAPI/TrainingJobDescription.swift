import AWSProtocol
import EndpointRuntime
import TrainingExecution

/// The members real SageMaker puts in every DescribeTrainingJob answer even when the request left them out, which
/// the SageMaker Python SDK reads without a default (`Estimator.attach` reads `OutputDataConfig.KmsKeyId`,
/// `TrainingJobAnalytics` reads `AlgorithmSpecification.MetricDefinitions`). Applied when a job is described, so
/// jobs stored before a member was added answer it too; what the request gave is never changed. (The
/// `Enable*` flags are set at creation, `TrainingJobLifecycle.created`.)
package enum TrainingJobDescription {
    /// SageMaker's default `StoppingCondition.MaxRuntimeInSeconds` (one day).
    static let defaultMaxRuntimeInSeconds = 86_400

    package static func completed(_ stored: JSONValue) -> JSONValue {
        var document = stored
        let image = document["AlgorithmSpecification"]?["TrainingImage"]?.stringValue ?? ""
        let definitions: JSONValue = .array(
            BuiltInAlgorithm.isObjectDetection(image: image)
                ? TrainingMetric.definitions.map { ["Name": .string($0.name), "Regex": .string($0.regex)] } : []
        )
        setDefault(&document, ["AlgorithmSpecification", "MetricDefinitions"], definitions)
        setDefault(&document, ["AlgorithmSpecification", "EnableSageMakerMetricsTimeSeries"], false)
        setDefault(&document, ["OutputDataConfig", "KmsKeyId"], "")
        setDefault(&document, ["OutputDataConfig", "CompressionType"], "GZIP")
        setDefault(&document, ["StoppingCondition", "MaxRuntimeInSeconds"], .int(defaultMaxRuntimeInSeconds))
        setDefault(&document, ["HyperParameters"], [:])
        // Apiary collects no profiler data, whatever ProfilerConfig asks (the SDK then looks for none).
        document["ProfilingStatus"] = "Disabled"
        if let stored = document["InputDataConfig"]?.arrayValue {
            document["InputDataConfig"] = .array(
                stored.map { original in
                    var channel = original
                    setDefault(&channel, ["CompressionType"], "None")
                    setDefault(&channel, ["RecordWrapperType"], "None")
                    setDefault(&channel, ["DataSource", "S3DataSource", "S3DataDistributionType"], "FullyReplicated")
                    return channel
                }
            )
        }
        return document
    }

    /// Sets the member at `path` to `value` when it is missing and its parent object exists.
    private static func setDefault(_ object: inout JSONValue, _ path: [String], _ value: JSONValue) {
        guard let key = path.first, case .object(var members) = object else { return }
        if path.count == 1 {
            if members[key] == nil { members[key] = value }
        } else if var child = members[key] {
            setDefault(&child, Array(path.dropFirst()), value)
            members[key] = child
        }
        object = .object(members)
    }
}
