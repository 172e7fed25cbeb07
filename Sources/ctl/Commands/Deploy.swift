import AWSProtocol
import ArgumentParser
import Foundation

/// `ctl deploy TRAINING_JOB`: model, endpoint configuration and endpoint in one step, then wait for it. Run again,
/// it brings what exists up to date (a new artifact, another instance type) instead of failing on "already exists".
struct Deploy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deploy a completed training job: create its model, an endpoint configuration and an endpoint, and wait until it serves.",
        discussion: """
            Re-runnable: when the model, configuration or endpoint already exist, each is kept if it already says the \
            same and replaced (the endpoint updated in place, serving throughout) if not.

            Example: ctl deploy bees-1 && ctl invoke bees-1 bee.jpg --draw bee-boxes.png
            """)
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
        let model = try await client.existing(.model, name)
        let modelChanged = model?["PrimaryContainer"]?["ModelDataUrl"]?.stringValue != artifact
        if modelChanged {
            if model != nil { _ = try await client.call("SageMaker.DeleteModel", ["ModelName": .string(name)]) }
            _ = try await client.call(
                "SageMaker.CreateModel",
                ["ModelName": .string(name), "ExecutionRoleArn": .string(role), "PrimaryContainer": ["Image": .string(image), "ModelDataUrl": .string(artifact)]])
        }
        let variant: JSONValue = ["VariantName": "AllTraffic", "ModelName": .string(name), "InitialInstanceCount": 1, "InstanceType": .string(instanceType)]
        let config = try await client.existing(.endpointConfig, name)
        let current = config?["ProductionVariants"]?.arrayValue?.first
        let configChanged = current?["InstanceType"]?.stringValue != instanceType || current?["ModelName"]?.stringValue != name
        if configChanged {
            if config != nil { _ = try await client.call("SageMaker.DeleteEndpointConfig", ["EndpointConfigName": .string(name)]) }
            _ = try await client.call("SageMaker.CreateEndpointConfig", ["EndpointConfigName": .string(name), "ProductionVariants": [variant]])
        }
        let endpoint = try await client.existing(.endpoint, name)
        let action: String
        switch endpoint?["EndpointStatus"]?.stringValue {
        case nil:
            _ = try await client.call("SageMaker.CreateEndpoint", ["EndpointName": .string(name), "EndpointConfigName": .string(name)])
            action = "created"
        case "InService" where !modelChanged && !configChanged && endpoint?["EndpointConfigName"]?.stringValue == name:
            action = "unchanged"
        case "Creating", "Updating":
            action = "already being deployed"
        default:
            _ = try await client.call("SageMaker.UpdateEndpoint", ["EndpointName": .string(name), "EndpointConfigName": .string(name)])
            action = "updated"
        }
        let status = try await Endpoints.Wait.waitInService(client, name)
        guard status == "InService" else { throw CLIError("endpoint \(name) is \(status)") }
        if options.json {
            JSONOutput.print(answer: try await client.answer("SageMaker.DescribeEndpoint", ["EndpointName": .string(name)]).bytes)
        } else {
            print("endpoint \(name) is InService (\(action); model \(name) from \(artifact))")
        }
    }
}

extension APIClient {
    /// The Describe answer of a resource, or nil when it does not exist.
    func existing(_ kind: NamedResource, _ name: String) async throws -> JSONValue? {
        do {
            return try await call("SageMaker.\(kind.describeOperation)", [kind.nameMember: .string(name)])
        } catch is ResourceNotFound {
            return nil
        }
    }
}
