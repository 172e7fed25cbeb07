import AWSProtocol
import ControlPlane
import EndpointRuntime
import LabelStore
import ObjectStore
import TrainingExecution

/// The SageMaker control plane (JSON 1.1, `X-Amz-Target: SageMaker.<Operation>`): one table from operation
/// name to handler. Handlers take the request body as JSON and answer JSON or throw an `AWSError`.
package struct SageMakerService: Sendable {
    typealias Handler = @Sendable (JSONValue, AWSRequestContext) throws -> JSONValue

    let handlers: [String: Handler]
    /// Checks requests against botocore's model (patterns, enums, lengths, ranges, required members).
    let validator = ShapeValidator(model: .sageMaker)

    /// - Parameter instanceSlots: the most instances a training job may ask for (`ctl serve --instance-slots`).
    package init(
        store: ControlPlaneStore, scheduler: any TrainingScheduler, endpointHost: EndpointHost, labels: LabelStore, objects: ObjectStore,
        instanceSlots: Int = 1
    ) {
        let training = TrainingJobOperations(store: store, scheduler: scheduler, instanceSlots: instanceSlots)
        let transform = TransformJobOperations(store: store, scheduler: scheduler)
        let labeling = LabelingJobOperations(store: store, labels: labels, objects: objects)
        let models = ModelOperations(store: store)
        let configs = EndpointConfigOperations(store: store)
        let tags = TagOperations(store: store)
        let endpoints = EndpointOperations(store: store, host: endpointHost)
        handlers = [
            "CreateTrainingJob": training.create,
            "DescribeTrainingJob": training.describe,
            "ListTrainingJobs": { input, _ in try training.list(input) },
            "StopTrainingJob": training.stop,
            "CreateTransformJob": transform.create,
            "DescribeTransformJob": transform.describe,
            "ListTransformJobs": { input, _ in try transform.list(input) },
            "StopTransformJob": transform.stop,
            "CreateLabelingJob": labeling.create,
            "DescribeLabelingJob": labeling.describe,
            "ListLabelingJobs": { input, _ in try labeling.list(input) },
            "StopLabelingJob": labeling.stop,
            "CreateModel": models.create,
            "DescribeModel": models.registry.describe,
            "ListModels": { input, _ in try models.registry.list(input) },
            "DeleteModel": models.registry.delete,
            "CreateEndpointConfig": configs.create,
            "DescribeEndpointConfig": configs.registry.describe,
            "ListEndpointConfigs": { input, _ in try configs.registry.list(input) },
            "DeleteEndpointConfig": configs.registry.delete,
            "CreateEndpoint": endpoints.create,
            "DescribeEndpoint": endpoints.describe,
            "ListEndpoints": { input, _ in try endpoints.list(input) },
            "UpdateEndpoint": endpoints.update,
            "DeleteEndpoint": endpoints.delete,
            "AddTags": { input, _ in try tags.add(input) },
            "ListTags": { input, _ in try tags.list(input) },
            "DeleteTags": { input, _ in try tags.delete(input) },
        ]
    }

    /// Runs one operation. - Throws: `AWSError` (`UnknownOperationException` for operations not served).
    package func handle(_ operation: String, _ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        guard let handler = handlers[operation] else { throw AWSError.unknownOperation(operation) }
        try validator.validate(input, operation: operation)
        return try handler(input, context)
    }
}
