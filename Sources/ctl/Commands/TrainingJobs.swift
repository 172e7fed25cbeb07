import AWSProtocol
import ArgumentParser
import Foundation

/// `ctl training-jobs …`: SageMaker training jobs on the daemon.
struct TrainingJobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training-jobs",
        abstract: "Create, watch and stop training jobs (SageMaker's built-in Object Detection algorithm).",
        discussion: """
            Examples:
              ctl training-jobs create bees-1 --train s3://bees/manifests/train.manifest \\
                  --validation s3://bees/manifests/validation.manifest \\
                  --output s3://bees/output --base-network apiary-mobile
              ctl training-jobs wait bees-1
            """,
        subcommands: [Create.self, Describe.self, List.self, Stop.self, Logs.self, Wait.self, Results.self]
    )
}

extension TrainingJobs {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a training job.",
            discussion: """
                Either flags (an augmented-manifest job, as the course runs it) or --cli-input-json with the same JSON \
                as `aws sagemaker create-training-job --cli-input-json` (flags given as well override its hyperparameters).

                Before submitting, the request is checked as the algorithm will check it: hyperparameter names (with a \
                did-you-mean) and ranges, the channels, that each manifest exists and its first line has the attribute \
                names, that the output bucket exists. --no-validate sends the request as is. Without \
                --num-training-samples, the train manifest's lines are counted; without --label-attribute, the manifest's \
                object-detection attribute is used.

                Examples:
                  ctl training-jobs create bees-1 --train s3://bees/manifests/train.manifest \\
                      --validation s3://bees/manifests/validation.manifest \\
                      --output s3://bees/output --base-network apiary-mobile
                  ctl training-jobs create bees-2 --train s3://bees/manifests/train.manifest \\
                      --validation s3://bees/manifests/validation.manifest \\
                      --output s3://bees/output --base-network apiary-mobile \\
                      --epochs 4 --optimizer adam --label-attribute bees-500
                  ctl training-jobs create --cli-input-json file://job.json
                """
        )

        @Argument(help: "The job's name (letters, digits, hyphens; at most 63).")
        var name: String?

        @Option(help: "The train channel's augmented manifest (s3://…).")
        var train: String?

        @Option(help: "The validation channel's augmented manifest (s3://…).")
        var validation: String?

        @Option(help: "Where model.tar.gz goes: <output>/<name>/output/model.tar.gz.")
        var output: String?

        @Option(help: "The label attribute in the manifests (default: the train manifest's object-detection attribute).")
        var labelAttribute: String?

        @Option(help: "num_classes.") var numClasses = 1
        @Option(help: "num_training_samples (default: the train manifest's line count).") var numTrainingSamples: Int?
        @Option(help: "base_network: vgg-16, resnet-50 (SageMaker's) or apiary-mobile (a fast CPU network).") var baseNetwork: String?
        @Option(help: "epochs.") var epochs: Int?
        @Option(help: "mini_batch_size.") var miniBatchSize: Int?
        @Option(help: "learning_rate.") var learningRate: String?
        @Option(help: "optimizer: sgd, adam, rmsprop, adadelta.") var optimizer: String?
        @Option(help: "image_shape.") var imageShape: Int?
        @Option(name: [.customShort("H"), .customLong("hyperparameter")], help: "Any hyperparameter as key=value (repeatable).")
        var hyperparameters: [String] = []

        @Option(name: [.customShort("e"), .customLong("environment")], help: "A container environment variable as KEY=VALUE (repeatable); APIARY_SEED=N fixes the job's seed.")
        var environment: [String] = []

        @Option(help: "Instance type recorded with the job.") var instanceType = "ml.p3.2xlarge"
        @Option(help: "MaxRuntimeInSeconds.") var maxRuntime = 86_400
        @Option(help: "The IAM role ARN recorded with the job.") var role = "arn:aws:iam::000000000000:role/ApiarySageMakerRole"
        @Option(help: "The request as JSON, or file://path to it (the aws CLI's --cli-input-json).") var cliInputJson: String?
        @Flag(help: "Send the request as is, without checking hyperparameters, channels and manifests first.") var noValidate = false

        @OptionGroup var options: ClientOptions

        func run() async throws {
            var request = try cliInputJson.map(Self.readInput) ?? [:]
            if let name { request["TrainingJobName"] = .string(name) }
            guard request["TrainingJobName"] != nil else { throw CLIError("give the job a name: ctl training-jobs create NAME …", exitCode: 64) }
            let client = try options.client()
            if cliInputJson == nil {
                guard let train, let validation, let output else {
                    throw CLIError("--train, --validation and --output are required (or pass --cli-input-json)", exitCode: 64)
                }
                var trainLines: [Substring] = []
                if numTrainingSamples == nil || labelAttribute == nil {
                    trainLines = try await TrainingJobCheck(client: client).manifestLines(train, channel: "train")
                }
                let numTrainingSamples = self.numTrainingSamples ?? trainLines.count
                guard let labelAttribute = labelAttribute ?? trainLines.first.flatMap(Self.objectDetectionAttribute) else {
                    throw CLIError("the train manifest \(train) has no object-detection label on its first line; name it with --label-attribute", exitCode: 65)
                }
                let region = client.region
                request["AlgorithmSpecification"] = [
                    "TrainingImage": .string(ObjectDetectionImage.uri(region: region)), "TrainingInputMode": "Pipe",
                ]
                request["RoleArn"] = .string(role)
                request["InputDataConfig"] = [Self.channel("train", train, labelAttribute), Self.channel("validation", validation, labelAttribute)]
                request["OutputDataConfig"] = ["S3OutputPath": .string(output)]
                request["ResourceConfig"] = ["InstanceType": .string(instanceType), "InstanceCount": 1, "VolumeSizeInGB": 50]
                request["StoppingCondition"] = ["MaxRuntimeInSeconds": .int(maxRuntime)]
                request["HyperParameters"] = ["num_classes": .string(String(numClasses)), "num_training_samples": .string(String(numTrainingSamples))]
            }
            var hp = request["HyperParameters"]?.objectValue ?? [:]
            let flags: [(String, String?)] = [
                ("base_network", baseNetwork), ("epochs", epochs.map(String.init)), ("mini_batch_size", miniBatchSize.map(String.init)),
                ("learning_rate", learningRate), ("optimizer", optimizer), ("image_shape", imageShape.map(String.init)),
            ]
            for (key, value) in flags { if let value { hp[key] = .string(value) } }
            for pair in hyperparameters {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw CLIError("-H takes key=value, got '\(pair)'", exitCode: 64) }
                hp[String(parts[0])] = .string(String(parts[1]))
            }
            if !hp.isEmpty { request["HyperParameters"] = .object(hp) }
            var env = request["Environment"]?.objectValue ?? [:]
            for pair in environment {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw CLIError("--environment takes KEY=VALUE, got '\(pair)'", exitCode: 64) }
                env[String(parts[0])] = .string(String(parts[1]))
            }
            if !env.isEmpty { request["Environment"] = .object(env) }
            if !noValidate { try await TrainingJobCheck(client: client).check(request) }
            let answer = try await client.answer("SageMaker.CreateTrainingJob", request)
            if options.json { JSONOutput.print(answer: answer.bytes) } else { print(answer.json["TrainingJobArn"]?.stringValue ?? "") }
        }

        static func channel(_ name: String, _ uri: String, _ label: String) -> JSONValue {
            [
                "ChannelName": .string(name),
                "DataSource": [
                    "S3DataSource": [
                        "S3DataType": "AugmentedManifestFile", "S3Uri": .string(uri), "S3DataDistributionType": "FullyReplicated",
                        "AttributeNames": ["source-ref", .string(label)],
                    ]
                ],
                "ContentType": "application/x-recordio", "RecordWrapperType": "RecordIO", "InputMode": "Pipe",
            ]
        }

        /// The attribute of a manifest line whose `<attribute>-metadata` says it is an object-detection label
        /// (Ground Truth's `"type": "groundtruth/object-detection"`).
        static func objectDetectionAttribute(_ line: Substring) -> String? {
            guard let record = (try? JSONValue.parse(Array(line.utf8)))?.objectValue else { return nil }
            return record.keys.sorted().first { record[$0 + "-metadata"]?["type"]?.stringValue == "groundtruth/object-detection" }
        }

        /// `--cli-input-json`: inline JSON or `file://path`, as the aws CLI reads it.
        static func readInput(_ argument: String) throws -> JSONValue {
            var bytes = Array(argument.utf8)
            if argument.hasPrefix("file://") {
                let path = String(argument.dropFirst(7))
                guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)", exitCode: 66) }
                bytes = Array(data)
            }
            guard let value = try? JSONValue.parse(bytes), case .object = value else {
                throw CLIError("--cli-input-json must be a JSON object (inline or file://path)", exitCode: 65)
            }
            return value
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a training job: status, timings, metrics, artifact.",
            discussion: "Example: ctl training-jobs describe bees-1 --json   # without --json: a table")
        @Argument(help: "The job's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let (job, bytes) = try await options.client().answer("SageMaker.DescribeTrainingJob", ["TrainingJobName": .string(name)])
            if options.json { return JSONOutput.print(answer: bytes) }
            var rows: [[String]] = [
                ["Name", job["TrainingJobName"]?.stringValue ?? name],
                ["Status", "\(job["TrainingJobStatus"]?.stringValue ?? "?") / \(job["SecondaryStatus"]?.stringValue ?? "?")"],
                ["Created", JSONOutput.date(job["CreationTime"])],
                ["Training time", job["TrainingTimeInSeconds"]?.intValue.map { "\($0) s" } ?? "-"],
                ["Artifact", job["ModelArtifacts"]?["S3ModelArtifacts"]?.stringValue ?? "-"],
            ]
            if let reason = job["FailureReason"]?.stringValue { rows.append(["Failure", reason]) }
            for metric in job["FinalMetricDataList"]?.arrayValue ?? [] {
                rows.append([metric["MetricName"]?.stringValue ?? "?", metric["Value"]?.doubleValue.map { String(format: "%.4f", $0) } ?? "-"])
            }
            print(TextTable(headers: ["FIELD", "VALUE"], rows: rows).render())
            print("\nTRANSITIONS")
            let transitions = (job["SecondaryStatusTransitions"]?.arrayValue ?? []).map {
                [JSONOutput.date($0["StartTime"]), $0["Status"]?.stringValue ?? "", $0["StatusMessage"]?.stringValue ?? ""]
            }
            print(TextTable(headers: ["TIME", "STATUS", "MESSAGE"], rows: transitions).render())
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List training jobs, newest first.",
            discussion: "Example: ctl training-jobs list --status Completed --name-contains bees")
        @Option(help: "Only names containing this.") var nameContains: String?
        @Option(help: "Only this status: InProgress, Completed, Failed, Stopping, Stopped.") var status: String?
        @Option(help: "At most this many (1–100).") var max = 100
        @OptionGroup var options: ClientOptions

        func run() async throws {
            var input: JSONValue = ["MaxResults": .int(max), "SortOrder": "Descending"]
            if let nameContains { input["NameContains"] = .string(nameContains) }
            if let status { input["StatusEquals"] = .string(status) }
            let (answer, bytes) = try await options.client().answer("SageMaker.ListTrainingJobs", input)
            if options.json { return JSONOutput.print(answer: bytes) }
            let rows = (answer["TrainingJobSummaries"]?.arrayValue ?? []).map {
                [
                    $0["TrainingJobName"]?.stringValue ?? "", $0["TrainingJobStatus"]?.stringValue ?? "", $0["SecondaryStatus"]?.stringValue ?? "",
                    JSONOutput.date($0["CreationTime"]),
                ]
            }
            print(TextTable(headers: ["NAME", "STATUS", "SECONDARY", "CREATED"], rows: rows).render())
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a training job (it keeps its best model so far).",
            discussion: "Example: ctl training-jobs stop bees-1 && ctl training-jobs wait bees-1  # 3")
        @Argument(help: "The job's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let answer = try await options.client().answer("SageMaker.StopTrainingJob", ["TrainingJobName": .string(name)])
            if options.json { JSONOutput.print(answer: answer.bytes) } else { print("stopping \(name)") }
        }
    }
}

/// The built-in Object Detection image URI of a region (SageMaker's registry accounts).
enum ObjectDetectionImage {
    static let registries = [
        "us-east-1": "811284229777", "us-east-2": "825641698319", "us-west-2": "433757028032", "eu-west-1": "685385470294",
        "eu-central-1": "813361260812", "ap-northeast-1": "501404015308",
    ]

    static func uri(region: String) -> String {
        "\(registries[region] ?? "811284229777").dkr.ecr.\(region).amazonaws.com/object-detection:1"
    }
}
