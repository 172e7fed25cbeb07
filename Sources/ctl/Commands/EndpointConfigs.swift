import AWSProtocol
import ArgumentParser

/// `ctl endpoint-configs …`: SageMaker endpoint configurations.
struct EndpointConfigs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoint-configs",
        abstract: "Create, show, list and delete endpoint configurations.",
        discussion: "Example: ctl endpoint-configs create bees-config --model bees-model",
        subcommands: [Create.self, Describe.self, List.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a one-variant endpoint configuration for a model.",
            discussion: "Example: ctl endpoint-configs create bees-config --model bees-model")
        @Argument(help: "The configuration's name.") var name: String
        @Option(help: "The model to serve.") var model: String
        @Option(help: "Instance type recorded with the variant.") var instanceType = "ml.m5.large"
        @Option(help: "InitialInstanceCount.") var instanceCount = 1
        @Option(help: "The variant's name.") var variant = "AllTraffic"
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let request: JSONValue = [
                "EndpointConfigName": .string(name),
                "ProductionVariants": [
                    [
                        "VariantName": .string(variant), "ModelName": .string(model), "InstanceType": .string(instanceType),
                        "InitialInstanceCount": .int(instanceCount), "InitialVariantWeight": 1.0,
                    ]
                ],
            ]
            let answer = try await options.client().answer("SageMaker.CreateEndpointConfig", request)
            options.json ? JSONOutput.print(answer: answer.bytes) : print(answer.json["EndpointConfigArn"]?.stringValue ?? "")
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an endpoint configuration.",
            discussion: "Example: ctl endpoint-configs describe bees-config")
        @Argument(help: "The configuration's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let (config, bytes) = try await options.client().answer("SageMaker.DescribeEndpointConfig", ["EndpointConfigName": .string(name)])
            if options.json { return JSONOutput.print(answer: bytes) }
            let rows = (config["ProductionVariants"]?.arrayValue ?? []).map {
                [
                    $0["VariantName"]?.stringValue ?? "", $0["ModelName"]?.stringValue ?? "", $0["InstanceType"]?.stringValue ?? "-",
                    $0["InitialInstanceCount"]?.intValue.map(String.init) ?? "-",
                ]
            }
            print("\(config["EndpointConfigName"]?.stringValue ?? name)  created \(JSONOutput.date(config["CreationTime"]))\n")
            print(TextTable(headers: ["VARIANT", "MODEL", "INSTANCE TYPE", "COUNT"], rows: rows).render())
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List endpoint configurations, newest first.",
            discussion: "Example: ctl endpoint-configs list")
        @Option(help: "Only names containing this.") var nameContains: String?
        @Option(help: "At most this many (1–100).") var max = 100
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await RegistryCommands.list(
                options, operation: "ListEndpointConfigs", listMember: "EndpointConfigs", nameMember: "EndpointConfigName", nameContains: nameContains, max: max)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an endpoint configuration.",
            discussion: "Example: ctl endpoint-configs delete bees-config")
        @Argument(help: "The configuration's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await RegistryCommands.delete(options, operation: "DeleteEndpointConfig", nameMember: "EndpointConfigName", name: name)
        }
    }
}
