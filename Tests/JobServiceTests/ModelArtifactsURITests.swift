@testable import SageMakerAPI
@testable import TrainingExecution
@testable import EndpointRuntime
@testable import ControlPlane
import AWSProtocol
import Foundation
import LabelStore
import Logging
import Testing

@testable import JobService

/// `ModelArtifacts.S3ModelArtifacts` is computed once: what DescribeTrainingJob answers right after CreateTrainingJob
/// is where the worker writes the model — `model.tar.gz`, or for `CompressionType NONE` the `output/model/` prefix
/// that SageMaker reports and the SageMaker Python SDK deploys as an `S3Prefix`.
@Suite struct ModelArtifactsURITests {
    let store: ControlPlaneStore
    let objects: TestStore
    let service: SageMakerService
    let context = AWSRequestContext(region: "us-east-1", account: "123456789012")

    init() throws {
        store = try ControlPlaneStore.inMemory()
        objects = try TestStore()
        service = SageMakerService(
            store: store,
            scheduler: RequiredOutputMembersTests.IdleScheduler(store: store),
            endpointHost: EndpointHost(store: store, objects: objects.store, logger: Logger(label: "test")),
            labels: try LabelStore.inMemory(),
            objects: objects.store
        )
    }

    func request(_ name: String, outputPath: String, compression: String?) -> JSONValue {
        var output: JSONValue = ["S3OutputPath": .string(outputPath)]
        if let compression { output["CompressionType"] = .string(compression) }
        return [
            "TrainingJobName": .string(name), "RoleArn": "arn:aws:iam::123456789012:role/R",
            "AlgorithmSpecification": [
                "TrainingImage": "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1", "TrainingInputMode": "File",
            ],
            "OutputDataConfig": output, "ResourceConfig": ["InstanceType": "ml.p3.2xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50],
            "StoppingCondition": ["MaxRuntimeInSeconds": 60],
        ]
    }

    @Test(
        arguments: [
            ("gzip", "s3://models/out", "GZIP", "s3://models/out/gzip/output/model.tar.gz"),
            ("default", "s3://models/out/", nil, "s3://models/out/default/output/model.tar.gz"),
            ("none", "s3://models/out", "NONE", "s3://models/out/none/output/model/"),
            ("bucket-only", "s3://models", "NONE", "s3://models/bucket-only/output/model/"),
            ("doubled", "s3://models/a//", "GZIP", "s3://models/a/doubled/output/model.tar.gz"),
        ])
    func describeAnswersWhereTheWorkerWrites(name: String, outputPath: String, compression: String?, expected: String) throws {
        let input = request(name, outputPath: outputPath, compression: compression)
        _ = try service.handle("CreateTrainingJob", input, context)
        let described = try service.handle("DescribeTrainingJob", ["TrainingJobName": .string(name)], context)
        #expect(described["ModelArtifacts"]?["S3ModelArtifacts"]?.stringValue == expected)
        #expect(try TrainingJobSpec(request: input).modelArtifacts.description == expected)
    }

    @Test func aMissingMemberTheModelDoesNotRequireIsRefusedInTheValidatorsWords() throws {
        var input = request("j", outputPath: "s3://models/out", compression: nil)
        input["ResourceConfig"] = nil
        #expect(throws: AWSError.missingMember("ResourceConfig")) { try service.handle("CreateTrainingJob", input, context) }
    }
}
