import AWSProtocol
import ArgumentParser
import Foundation

/// `ctl deploy TRAINING_JOB`: model, endpoint configuration and endpoint in one step, then wait for it.
struct Deploy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deploy a completed training job: create its model, an endpoint configuration and an endpoint, and wait until it serves.",
        discussion: "Example: ctl deploy bees-1 && ctl invoke bees-1 bee.jpg --draw bee-boxes.png")
    @Argument(help: "A Completed training job.") var trainingJob: String
    @Option(help: "Name of the model, configuration and endpoint (default: the job's name).") var name: String?
    @Option(help: "Instance type recorded with the variant.") var instanceType = "ml.m5.large"
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let client = try options.client()
        let name = self.name ?? trainingJob
        let job = try await client.call("SageMaker.DescribeTrainingJob", ["TrainingJobName": .string(trainingJob)])
        guard job["TrainingJobStatus"]?.stringValue == "Completed", let artifact = job["ModelArtifacts"]?["S3ModelArtifacts"]?.stringValue else {
            throw CLIError("training job \(trainingJob) is \(job["TrainingJobStatus"]?.stringValue ?? "?"), not Completed: nothing to deploy yet")
        }
        let image = job["AlgorithmSpecification"]?["TrainingImage"]?.stringValue ?? ObjectDetectionImage.uri(region: client.region)
        let role = job["RoleArn"]?.stringValue ?? "arn:aws:iam::000000000000:role/ApiarySageMakerRole"
        _ = try await client.call(
            "SageMaker.CreateModel",
            ["ModelName": .string(name), "ExecutionRoleArn": .string(role), "PrimaryContainer": ["Image": .string(image), "ModelDataUrl": .string(artifact)]])
        _ = try await client.call(
            "SageMaker.CreateEndpointConfig",
            [
                "EndpointConfigName": .string(name),
                "ProductionVariants": [
                    ["VariantName": "AllTraffic", "ModelName": .string(name), "InitialInstanceCount": 1, "InstanceType": .string(instanceType)]
                ],
            ])
        _ = try await client.call("SageMaker.CreateEndpoint", ["EndpointName": .string(name), "EndpointConfigName": .string(name)])
        let status = try await Endpoints.Wait.waitInService(client, name)
        guard status == "InService" else { throw CLIError("endpoint \(name) is \(status)") }
        if options.json {
            JSONOutput.print(try await client.call("SageMaker.DescribeEndpoint", ["EndpointName": .string(name)]))
        } else {
            print("endpoint \(name) is InService (model \(name) from \(artifact))")
        }
    }
}
