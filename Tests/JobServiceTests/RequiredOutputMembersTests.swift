import AWSProtocol
import Foundation
import LabelStore
import Logging
import ObjectStore
import Testing

@testable import JobService
@testable import ControlPlane
@testable import EndpointRuntime
@testable import SageMakerAPI
@testable import TrainingExecution

/// Every member botocore's model marks required in an output shape is always in Apiary's answer (strongly
/// typed SDKs fail to decode otherwise) — checked on every operation, in every state a resource passes through.
@Suite struct RequiredOutputMembersTests {
    /// Records jobs and ignores stops: the queue's part is not under test here.
    struct IdleScheduler: TrainingScheduler {
        let store: ControlPlaneStore
        func enqueue(_ job: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool { try store.insertQueued(job, tags: tags) }
        func stop(_ name: String, at time: Double) throws {}
        func stopTransform(_ name: String, at time: Double) throws {}
    }

    let service: SageMakerService
    let logs: LogsService
    let store: ControlPlaneStore
    let objects: TestStore
    let labels: LabelStore
    let context = AWSRequestContext(region: "us-east-1", account: "123456789012")

    init() throws {
        store = try ControlPlaneStore.inMemory()
        objects = try TestStore()
        labels = try LabelStore.inMemory()
        service = SageMakerService(
            store: store, scheduler: IdleScheduler(store: store), endpointHost: EndpointHost(store: store, objects: objects.store, logger: Logger(label: "test")),
            labels: labels, objects: objects.store)
        logs = LogsService(store: store)
    }

    func call(_ operation: String, _ input: JSONValue) throws -> JSONValue {
        let output = try service.handle(operation, input, context)
        let missing = ServiceModel.sageMaker.missingRequiredOutputMembers(output, operation: operation)
        #expect(missing.isEmpty, "\(operation) lacks \(missing)")
        return output
    }

    @Test func theCheckSeesAMissingMember() {
        let missing = ServiceModel.sageMaker.missingRequiredOutputMembers(["TrainingJobSummaries": [["TrainingJobName": "j"]]], operation: "ListTrainingJobs")
        #expect(missing.contains("TrainingJobSummaries[0].TrainingJobArn"))
    }

    @Test func everyOperationAnswersEveryRequiredMember() throws {
        let channel: JSONValue = [
            "ChannelName": "train",
            "DataSource": ["S3DataSource": ["S3DataType": "AugmentedManifestFile", "S3Uri": "s3://b/m", "AttributeNames": ["source-ref", "bees"]]],
        ]
        _ = try call(
            "CreateTrainingJob",
            [
                "TrainingJobName": "j", "RoleArn": "arn:aws:iam::123456789012:role/R",
                "AlgorithmSpecification": ["TrainingImage": "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1", "TrainingInputMode": "Pipe"],
                "InputDataConfig": [channel], "OutputDataConfig": ["S3OutputPath": "s3://b/o"],
                "ResourceConfig": ["InstanceType": "ml.p3.2xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50],
                "StoppingCondition": ["MaxRuntimeInSeconds": 60],
            ])
        _ = try call("DescribeTrainingJob", ["TrainingJobName": "j"])
        _ = try call("ListTrainingJobs", [:])
        for event: TrainingJobLifecycle.Event in [.secondary(.training, message: "m"), .completed(metrics: [("validation:mAP", 0.5)])] {
            try store.update(.trainingJob, named: "j") { try TrainingJobLifecycle.apply(event, to: &$0, at: 10) }
            _ = try call("DescribeTrainingJob", ["TrainingJobName": "j"])
        }
        _ = try call("CreateModel", ["ModelName": "m", "PrimaryContainer": ["Image": "i", "ModelDataUrl": "s3://b/k"]])
        _ = try call("DescribeModel", ["ModelName": "m"])
        _ = try call("ListModels", [:])
        _ = try call(
            "CreateTransformJob",
            [
                "TransformJobName": "t", "ModelName": "m",
                "TransformInput": ["DataSource": ["S3DataSource": ["S3DataType": "S3Prefix", "S3Uri": "s3://b/in/"]], "ContentType": "image/jpeg"],
                "TransformOutput": ["S3OutputPath": "s3://b/out"], "TransformResources": ["InstanceType": "ml.m5.large", "InstanceCount": 1],
            ])
        _ = try call("DescribeTransformJob", ["TransformJobName": "t"])
        _ = try call("ListTransformJobs", [:])
        _ = try call("StopTransformJob", ["TransformJobName": "t"])
        _ = try call("DescribeTransformJob", ["TransformJobName": "t"])
        _ = try call(
            "CreateEndpointConfig",
            ["EndpointConfigName": "c", "ProductionVariants": [["VariantName": "v", "ModelName": "m", "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"]]])
        _ = try call("DescribeEndpointConfig", ["EndpointConfigName": "c"])
        _ = try call("ListEndpointConfigs", [:])
        _ = try call("CreateEndpoint", ["EndpointName": "e", "EndpointConfigName": "c"])
        _ = try call("DescribeEndpoint", ["EndpointName": "e"])
        _ = try call("ListEndpoints", [:])
        let arn = context.arn(.model, "m")
        _ = try call("AddTags", ["ResourceArn": .string(arn), "Tags": [["Key": "k", "Value": "v"]]])
        _ = try call("ListTags", ["ResourceArn": .string(arn)])
        _ = try call("DeleteTags", ["ResourceArn": .string(arn), "TagKeys": ["k"]])
        _ = try call("DeleteEndpoint", ["EndpointName": "e"])
        _ = try call("DeleteEndpointConfig", ["EndpointConfigName": "c"])
        _ = try call("DeleteModel", ["ModelName": "m"])
    }

    @Test func labelingJobsAnswerEveryRequiredMember() throws {
        _ = try call("CreateLabelingJob", try labelingRequest(name: "l", images: 0..<2, in: objects.store))
        _ = try call("DescribeLabelingJob", ["LabelingJobName": "l"])
        _ = try call("ListLabelingJobs", [:])
        let job = try labels.dataset(named: "labeling-job/l")
        try labels.apply(try labels.images(in: job).map { .submit(imageId: $0.id) })
        #expect(try call("DescribeLabelingJob", ["LabelingJobName": "l"])["LabelingJobOutput"] != nil)
        _ = try call("ListLabelingJobs", [:])
        _ = try call("CreateLabelingJob", try labelingRequest(name: "s", images: 0..<2, in: objects.store))
        _ = try call("StopLabelingJob", ["LabelingJobName": "s"])
        _ = try call("DescribeLabelingJob", ["LabelingJobName": "s"])
    }

    @Test func logsAnswersEveryRequiredMember() throws {
        try store.appendLogEvents(group: "/aws/sagemaker/TrainingJobs", stream: "j/algo-1-1", [(1, "line")], now: 2)
        for (operation, input) in [
            ("DescribeLogGroups", [:]), ("DescribeLogStreams", ["logGroupName": "/aws/sagemaker/TrainingJobs"]),
            ("GetLogEvents", ["logGroupName": "/aws/sagemaker/TrainingJobs", "logStreamName": "j/algo-1-1"]),
        ] as [(String, JSONValue)] {
            let output = try logs.handle(operation, input, context)
            #expect(ServiceModel.logs.missingRequiredOutputMembers(output, operation: operation).isEmpty, "\(operation)")
        }
    }
}
