import AWSProtocol
import ArgumentParser

/// `ctl models …`: SageMaker models (a trained artifact plus the image that serves it).
struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register, show, list and delete models.",
        discussion: "Example:\n  ctl models create bees-model \\\n      --model-data s3://bees/output/bees-1/output/model.tar.gz",
        subcommands: [Create.self, Describe.self, List.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a model from a training job's artifact.",
            discussion: "Example:\n  ctl models create bees-model \\\n      --model-data s3://bees/output/bees-1/output/model.tar.gz")
        @Argument(help: "The model's name.") var name: String
        @Option(help: "The model.tar.gz (a training job's S3ModelArtifacts).") var modelData: String
        @Option(help: "The serving image (default: the region's built-in object-detection image).") var image: String?
        @Option(help: "The execution role ARN recorded with the model.") var role = "arn:aws:iam::000000000000:role/ApiarySageMakerRole"
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try options.client()
            let request: JSONValue = [
                "ModelName": .string(name), "ExecutionRoleArn": .string(role),
                "PrimaryContainer": ["Image": .string(image ?? ObjectDetectionImage.uri(region: client.region)), "ModelDataUrl": .string(modelData)],
            ]
            let answer = try await client.answer("SageMaker.CreateModel", request)
            options.json ? JSONOutput.print(answer: answer.bytes) : print(answer.json["ModelArn"]?.stringValue ?? "")
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a model.",
            discussion: "Example: ctl models describe bees-model")
        @Argument(help: "The model's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let (model, bytes) = try await options.client().answer("SageMaker.DescribeModel", ["ModelName": .string(name)])
            if options.json { return JSONOutput.print(answer: bytes) }
            let rows = [
                ["Name", model["ModelName"]?.stringValue ?? name], ["ARN", model["ModelArn"]?.stringValue ?? ""],
                ["Image", model["PrimaryContainer"]?["Image"]?.stringValue ?? "-"],
                ["Model data", model["PrimaryContainer"]?["ModelDataUrl"]?.stringValue ?? "-"], ["Created", JSONOutput.date(model["CreationTime"])],
            ]
            print(TextTable(headers: ["FIELD", "VALUE"], rows: rows).render())
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List models, newest first.",
            discussion: "Example: ctl models list --name-contains bees")
        @Option(help: "Only names containing this.") var nameContains: String?
        @Option(help: "At most this many (1–100).") var max = 100
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await RegistryCommands.list(
                options, operation: "ListModels", listMember: "Models", nameMember: "ModelName", nameContains: nameContains, max: max)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a model (endpoints already serving it keep serving).",
            discussion: "Example: ctl models delete bees-model")
        @Argument(help: "The model's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await RegistryCommands.delete(options, operation: "DeleteModel", nameMember: "ModelName", name: name)
        }
    }
}
