import EndpointRuntime
import AWSProtocol
import ArgumentParser
import Foundation
import JobService

/// `ctl endpoints …`: SageMaker endpoints on the daemon.
struct Endpoints: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, watch, update and delete endpoints.",
        discussion: "Example:\n  ctl endpoints create bees --config bees-config && ctl endpoints wait bees\n(or all in one: ctl deploy TRAINING_JOB)",
        subcommands: [Create.self, Describe.self, List.self, Update.self, Delete.self, Wait.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an endpoint from an endpoint configuration.",
            discussion: "Example:\n  ctl endpoints create bees --config bees-config && ctl endpoints wait bees")
        @Argument(help: "The endpoint's name.") var name: String
        @Option(help: "The endpoint configuration.") var config: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let answer = try await options.client().answer(
                "SageMaker.CreateEndpoint", ["EndpointName": .string(name), "EndpointConfigName": .string(config)])
            options.json ? JSONOutput.print(answer: answer.bytes) : print(answer.json["EndpointArn"]?.stringValue ?? "")
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an endpoint: status, variants and its serving metrics.",
            discussion: "Shows invocations, errors, latency p50/p95/p99 and batch sizes.\n\nExample: ctl endpoints describe bees")
        @Argument(help: "The endpoint's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try options.client()
            let (endpoint, bytes) = try await client.answer("SageMaker.DescribeEndpoint", ["EndpointName": .string(name)])
            if options.json { return JSONOutput.print(answer: bytes) }
            var rows = [
                ["Name", name], ["Status", endpoint["EndpointStatus"]?.stringValue ?? "?"],
                ["Config", endpoint["EndpointConfigName"]?.stringValue ?? "-"], ["Created", JSONOutput.date(endpoint["CreationTime"])],
            ]
            if let reason = endpoint["FailureReason"]?.stringValue { rows.append(["Failure", reason]) }
            for variant in endpoint["ProductionVariants"]?.arrayValue ?? [] {
                rows.append(["Variant", "\(variant["VariantName"]?.stringValue ?? "") (weight \(variant["CurrentWeight"]?.doubleValue ?? 1))"])
            }
            rows += Self.rows(try await client.endpointFigures(name))
            print(TextTable(headers: ["FIELD", "VALUE"], rows: rows).render())
        }

        /// The serving figures' rows: counts, latency quantiles (as the bucket bound they fall under), mean batch size.
        static func rows(_ figures: EndpointFigures) -> [[String]] {
            let latency = figures.latencySeconds
            func quantile(_ q: Double) -> String { latency.upperBound(atQuantile: q).map { "≤ \(Int($0 * 1000)) ms" } ?? "-" }
            return [
                ["Invocations", String(figures.invocations)],
                ["Errors", String(figures.errors.values.reduce(0, +))],
                ["Latency p50 / p95 / p99", "\(quantile(0.5)) / \(quantile(0.95)) / \(quantile(0.99))"],
                ["Mean batch size", figures.batchSize.mean.map { String(format: "%.2f", $0) } ?? "-"],
            ]
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List endpoints, newest first.",
            discussion: "Example: ctl endpoints list")
        @Option(help: "Only names containing this.") var nameContains: String?
        @Option(help: "At most this many (1–100).") var max = 100
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await RegistryCommands.list(
                options, operation: "ListEndpoints", listMember: "Endpoints", nameMember: "EndpointName", statusMember: "EndpointStatus", nameContains: nameContains, max: max)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Switch an endpoint to another configuration (no request fails during the swap).",
            discussion: "Example: ctl endpoints update bees --config bees-2 && ctl endpoints wait bees")
        @Argument(help: "The endpoint's name.") var name: String
        @Option(help: "The new endpoint configuration.") var config: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let answer = try await options.client().answer(
                "SageMaker.UpdateEndpoint", ["EndpointName": .string(name), "EndpointConfigName": .string(config)])
            options.json ? JSONOutput.print(answer: answer.bytes) : print("updating \(name) to \(config)")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an endpoint (requests already running finish).",
            discussion: "Example: ctl endpoints delete bees")
        @Argument(help: "The endpoint's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await RegistryCommands.delete(options, operation: "DeleteEndpoint", nameMember: "EndpointName", name: name)
        }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait until an endpoint is InService.",
            discussion: "Exit code: 0 InService, 1 Failed. --json prints DescribeEndpoint's answer at the end.\n\nExample: ctl endpoints wait bees && ctl invoke bees bee.jpg")
        @Argument(help: "The endpoint's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try options.client()
            let status = try await Self.waitInService(client, name)
            if options.json { JSONOutput.print(answer: try await client.answer("SageMaker.DescribeEndpoint", ["EndpointName": .string(name)]).bytes) }
            if status != "InService" { throw CLIError("endpoint \(name) is \(status)") }
            if !options.json { print("\(name) is InService") }
        }

        static func waitInService(_ client: APIClient, _ name: String) async throws -> String {
            while true {
                let endpoint = try await client.call("SageMaker.DescribeEndpoint", ["EndpointName": .string(name)])
                let status = endpoint["EndpointStatus"]?.stringValue ?? "?"
                if status == "Failed" { FileHandle.standardError.write(Data("failure: \(endpoint["FailureReason"]?.stringValue ?? "")\n".utf8)) }
                if !["Creating", "Updating"].contains(status) { return status }
                try await Task.sleep(nanoseconds: 500_000_000)
            }
        }
    }
}
