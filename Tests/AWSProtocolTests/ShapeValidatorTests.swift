import Foundation
import Testing

@testable import AWSProtocol

@Suite struct ShapeValidatorTests {
    let sageMaker = ShapeValidator(model: .sageMaker)
    let logs = ShapeValidator(model: .logs)

    /// The course's training job: the built-in object-detection image on augmented manifests, in Pipe mode.
    static let trainingJob: JSONValue = [
        "TrainingJobName": "bees-object-detection-2024-01-01",
        "AlgorithmSpecification": [
            "TrainingImage": "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1",
            "TrainingInputMode": "Pipe",
        ],
        "RoleArn": "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20240101T000000",
        "InputDataConfig": [channel("train"), channel("validation")],
        "OutputDataConfig": ["S3OutputPath": "s3://bees/output/"],
        "ResourceConfig": ["InstanceCount": 1, "InstanceType": "ml.p3.2xlarge", "VolumeSizeInGB": 50],
        "StoppingCondition": ["MaxRuntimeInSeconds": 3600],
        "HyperParameters": [
            "base_network": "resnet-50", "use_pretrained_model": "1", "num_classes": "1", "num_training_samples": "400",
            "mini_batch_size": "16", "epochs": "30", "learning_rate": "0.001", "lr_scheduler_step": "10,20",
            "lr_scheduler_factor": "0.1", "optimizer": "sgd", "momentum": "0.9", "weight_decay": "0.0005",
            "overlap_threshold": "0.5", "nms_threshold": "0.45", "image_shape": "300", "label_width": "350",
        ],
        "Tags": [["Key": "project", "Value": "bees"]],
    ]

    static func channel(_ name: String) -> JSONValue {
        [
            "ChannelName": .string(name),
            "DataSource": [
                "S3DataSource": [
                    "S3DataType": "AugmentedManifestFile",
                    "S3Uri": .string("s3://bees/manifests/\(name).manifest"),
                    "S3DataDistributionType": "FullyReplicated",
                    "AttributeNames": ["source-ref", "bees"],
                ]
            ],
            "ContentType": "application/x-recordio",
            "RecordWrapperType": "RecordIO",
            "CompressionType": "None",
            "InputMode": "Pipe",
        ]
    }

    /// The course's training job with `edit` applied.
    private func trainingJob(_ edit: (inout JSONValue) -> Void) -> JSONValue {
        var job = Self.trainingJob
        edit(&job)
        return job
    }

    private func validation(_ message: String) -> AWSError { AWSError("ValidationException", message) }

    @Test func theCoursesTrainingJobIsValid() throws {
        try sageMaker.validate(Self.trainingJob, operation: "CreateTrainingJob")
    }

    @Test func anUnderscoreInANameFailsThePattern() {
        let job = trainingJob { $0["TrainingJobName"] = "bad_name" }
        #expect(
            throws: validation(
                "1 validation error detected: Value 'bad_name' at 'trainingJobName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
            )
        ) { try sageMaker.validate(job, operation: "CreateTrainingJob") }
    }

    @Test func anUnknownInstanceTypeFailsTheEnum() {
        let job = trainingJob { $0["ResourceConfig"]?["InstanceType"] = "ml.p3.2xlarg" }
        let error = #expect(throws: AWSError.self) { try sageMaker.validate(job, operation: "CreateTrainingJob") }
        #expect(error?.code == "ValidationException")
        #expect(
            error?.message.hasPrefix(
                "1 validation error detected: Value 'ml.p3.2xlarg' at 'resourceConfig.instanceType' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [ml.m4.xlarge, ml.m4.2xlarge, "
            ) == true
        )
        #expect(error?.message.contains(", ml.p3.2xlarge, ") == true)
        #expect(error?.message.hasSuffix("]") == true)
    }

    @Test func numbersAreBoundedBothWays() {
        #expect(
            throws: validation(
                "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: "
                    + "Member must have value less than or equal to 100"
            )
        ) { try sageMaker.validate(["MaxResults": 101], operation: "ListTrainingJobs") }
        #expect(
            throws: validation(
                "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
                    + "Member must have value greater than or equal to 1"
            )
        ) { try sageMaker.validate(["MaxResults": 0], operation: "ListTrainingJobs") }
    }

    @Test func floatBoundsAndValuesPrintAsJavaFloats() {
        let config: JSONValue = [
            "EndpointConfigName": "bees",
            "ProductionVariants": [
                ["VariantName": "AllTraffic", "ModelName": "bees", "InitialInstanceCount": 1, "InitialVariantWeight": -1]
            ],
        ]
        #expect(
            throws: validation(
                "1 validation error detected: Value '-1.0' at 'productionVariants.1.member.initialVariantWeight' failed to satisfy "
                    + "constraint: Member must have value greater than or equal to 0.0"
            )
        ) { try sageMaker.validate(config, operation: "CreateEndpointConfig") }
    }

    @Test func aMissingNestedRequiredMemberIsNull() {
        let job = trainingJob {
            var channels = $0["InputDataConfig"]!.arrayValue!
            channels[1]["DataSource"]?["S3DataSource"]?["S3Uri"] = nil
            $0["InputDataConfig"] = .array(channels)
        }
        #expect(
            throws: validation(
                "1 validation error detected: Value null at 'inputDataConfig.2.member.dataSource.s3DataSource.s3Uri' "
                    + "failed to satisfy constraint: Member must not be null"
            )
        ) { try sageMaker.validate(job, operation: "CreateTrainingJob") }
    }

    @Test func anExplicitNullCountsAsMissing() {
        #expect(
            throws: validation(
                "1 validation error detected: Value null at 'trainingJobName' failed to satisfy constraint: Member must not be null"
            )
        ) { try sageMaker.validate(["TrainingJobName": .null], operation: "DescribeTrainingJob") }
        #expect(
            throws: validation(
                "1 validation error detected: Value null at 'tags.1.member' failed to satisfy constraint: Member must not be null"
            )
        ) { try sageMaker.validate(["ResourceArn": "arn:aws:sagemaker:us-east-1:123456789012:model/bees", "Tags": [.null]], operation: "AddTags") }
    }

    @Test func everyViolationIsReportedInModelOrder() {
        let job = trainingJob {
            $0["ResourceConfig"]?["InstanceType"] = "ml.fake"
            $0["TrainingJobName"] = "bad_name"
        }
        let error = #expect(throws: AWSError.self) { try sageMaker.validate(job, operation: "CreateTrainingJob") }
        let message = error?.message ?? ""
        #expect(
            message.hasPrefix(
                "2 validation errors detected: Value 'bad_name' at 'trainingJobName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}; "
                    + "Value 'ml.fake' at 'resourceConfig.instanceType' failed to satisfy constraint: Member must satisfy enum value set: ["
            )
        )
    }

    @Test func oneValueCanBreakSeveralConstraints() {
        let name = String(repeating: "a", count: 63) + "_"
        #expect(
            throws: validation(
                "2 validation errors detected: Value '\(name)' at 'trainingJobName' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 63; Value '\(name)' at 'trainingJobName' failed to satisfy "
                    + "constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
            )
        ) { try sageMaker.validate(["TrainingJobName": .string(name)], operation: "StopTrainingJob") }
    }

    @Test func aLongHyperparameterValueFailsTheMapValueLength() {
        let long = String(repeating: "x", count: 2501)
        let job = trainingJob { $0["HyperParameters"] = ["epochs": "30", "notes": .string(long)] }
        #expect(
            throws: validation(
                "1 validation error detected: Value '{epochs=30, notes=\(long)}' at 'hyperParameters' failed to satisfy constraint: "
                    + "Map value must satisfy constraint: [Member must have length less than or equal to 2500, "
                    + "Member must have length greater than or equal to 0, Member must satisfy regular expression pattern: ^.*]"
            )
        ) { try sageMaker.validate(job, operation: "CreateTrainingJob") }
    }

    @Test func aListOfScalarsIsCheckedAsAWhole() {
        let job = trainingJob {
            var channels = $0["InputDataConfig"]!.arrayValue!
            channels[0]["DataSource"]?["S3DataSource"]?["AttributeNames"] = ["source-ref", ""]
            $0["InputDataConfig"] = .array(channels)
        }
        #expect(
            throws: validation(
                "1 validation error detected: Value '[source-ref, ]' at 'inputDataConfig.1.member.dataSource.s3DataSource.attributeNames' "
                    + "failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 256, "
                    + "Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^.+]"
            )
        ) { try sageMaker.validate(job, operation: "CreateTrainingJob") }
    }

    @Test func collectionsHaveLengthBounds() {
        let tags: [JSONValue] = (0..<51).map { ["Key": .string("k\($0)"), "Value": "v"] }
        let error = #expect(throws: AWSError.self) {
            try sageMaker.validate(
                ["ResourceArn": "arn:aws:sagemaker:us-east-1:123456789012:model/bees", "Tags": .array(tags)],
                operation: "AddTags"
            )
        }
        #expect(error?.message.hasSuffix("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50") == true)
    }

    @Test func wrongJSONTypesAreSerializationErrors() {
        let cases: [(JSONValue, String)] = [
            (trainingJob { $0["TrainingJobName"] = 5 }, "NUMBER_VALUE can not be converted to a String"),
            (trainingJob { $0["ResourceConfig"] = "ml.p3.2xlarge" }, "STRING_VALUE can not be converted to a Structure"),
            (trainingJob { $0["InputDataConfig"] = [:] }, "Start of structure or map found where not expected."),
            (trainingJob { $0["TrainingJobName"] = ["bees"] }, "Start of list found where not expected."),
            (trainingJob { $0["HyperParameters"]?["epochs"] = 30 }, "NUMBER_VALUE can not be converted to a String"),
            (trainingJob { $0["ResourceConfig"]?["InstanceCount"] = "1" }, "STRING_VALUE can not be converted to an Integer"),
            (trainingJob { $0["ResourceConfig"]?["InstanceCount"] = 1.5 }, "NUMBER_VALUE can not be converted to an Integer"),
            (trainingJob { $0["EnableManagedSpotTraining"] = "true" }, "STRING_VALUE can not be converted to a Boolean"),
            // A type error wins over constraint violations elsewhere in the request.
            (
                trainingJob {
                    $0["TrainingJobName"] = "bad_name"
                    $0["StoppingCondition"] = 3600
                }, "NUMBER_VALUE can not be converted to a Structure"
            ),
        ]
        for (input, message) in cases {
            #expect(throws: AWSError.serialization(message)) { try sageMaker.validate(input, operation: "CreateTrainingJob") }
        }
        #expect(throws: AWSError.serialization("Start of list found where not expected.")) {
            try sageMaker.validate([], operation: "ListModels")
        }
    }

    @Test func timestampsAreEpochNumbersOrISO8601() throws {
        for value: JSONValue in [1_704_067_200, 1_704_067_200.123, "2024-01-01T00:00:00Z", "2024-01-01T00:00:00.123Z"] {
            try sageMaker.validate(["CreationTimeAfter": value], operation: "ListTrainingJobs")
        }
        #expect(throws: AWSError.serialization("STRING_VALUE can not be converted to a Timestamp")) {
            try sageMaker.validate(["CreationTimeAfter": "yesterday"], operation: "ListTrainingJobs")
        }
    }

    @Test func unknownMembersAreIgnored() throws {
        let job = trainingJob { $0["SomeFutureMember"] = ["Anything": [1, "two"]] }
        try sageMaker.validate(job, operation: "CreateTrainingJob")
        try sageMaker.validate([:], operation: "ListEndpoints")
    }

    @Test func anOperationOutsideTheModelIsUnknown() {
        #expect(throws: AWSError.unknownOperation("CreateProcessingJob")) {
            try sageMaker.validate([:], operation: "CreateProcessingJob")
        }
    }

    @Test func logsUsesItsOwnErrorCodeAndUnanchoredPatterns() {
        // The message real CloudWatch Logs returns when Git Bash rewrites "/aws/..." into a Windows path.
        #expect(
            throws: AWSError(
                "InvalidParameterException",
                "1 validation error detected: Value 'C:/Program Files/Git/aws/lambda/f' at 'logGroupName' failed to satisfy constraint: "
                    + #"Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+"#
            )
        ) { try logs.validate(["logGroupName": "C:/Program Files/Git/aws/lambda/f"], operation: "DescribeLogStreams") }
        #expect(
            throws: AWSError(
                "InvalidParameterException",
                "1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null"
            )
        ) { try logs.validate(["logGroupName": "/aws/sagemaker/TrainingJobs"], operation: "GetLogEvents") }
    }
}
