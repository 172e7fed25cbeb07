import AWSProtocol
@testable import EndpointRuntime
import JobService
import ObjectStore
import Testing
@testable import TrainingExecution

@Suite("TrainingJobSpec: what a run needs from CreateTrainingJob")
struct TrainingJobSpecTests {
    @Test("the bee course's request: hyperparameters, channels, output, runtime, seed")
    func beeCourseRequest() throws {
        let spec = try TrainingJobSpec(request: beeRequest(name: "bees-od-1", hyperparameters: ["epochs": "100"], seed: 42))
        #expect(spec.jobName == "bees-od-1")
        #expect(spec.trainingImage == "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1")
        #expect(spec.hyperparameters["epochs"] == "100")
        #expect(spec.hyperparameters["base_network"] == "apiary-mobile")
        #expect(spec.channels == BeeFixture.augmentedManifestChannels)
        #expect(spec.outputPath == S3URI(bucket: "models", key: "output"))
        #expect(spec.outputCompression == .gzip)
        #expect(spec.maxRuntimeInSeconds == 86400)
        #expect(spec.seed == 42)
        #expect(spec.modelArtifacts.description == "s3://models/output/bees-od-1/output/model.tar.gz")
    }

    @Test("channel defaults: InputMode from TrainingInputMode, else File; CompressionType None; S3DataType S3Prefix")
    func channelDefaults() throws {
        var request = beeRequest(name: "job")
        request["InputDataConfig"] = [["ChannelName": "train", "DataSource": ["S3DataSource": ["S3Uri": "s3://bees/train/"]]]]
        #expect(
            try TrainingJobSpec(request: request).channels == [
                TrainingChannelSpec(name: "train", dataType: .s3Prefix, uri: S3URI("s3://bees/train/")!, inputMode: .pipe)
            ]
        )
        request["AlgorithmSpecification"] = ["TrainingImage": "object-detection:1"]
        #expect(try TrainingJobSpec(request: request).channels[0].inputMode == .file)
    }

    @Test("without APIARY_SEED the seed is a stable hash of the job name (FNV-1a), not Swift's per-process Hasher")
    func derivedSeed() throws {
        let spec = try TrainingJobSpec(request: beeRequest(name: "bees-od-1", seed: nil))
        #expect(spec.seed == TrainingJobSpec.derivedSeed(jobName: "bees-od-1"))
        // 64-bit FNV-1a of "bees-od-1" and of "", computed independently (Python).
        #expect(TrainingJobSpec.derivedSeed(jobName: "bees-od-1") == 0x3C0D_27A8_BBB6_75BA)
        #expect(TrainingJobSpec.derivedSeed(jobName: "") == 0xCBF2_9CE4_8422_2325)
        #expect(TrainingJobSpec.derivedSeed(jobName: "bees-od-2") != TrainingJobSpec.derivedSeed(jobName: "bees-od-1"))
    }

    @Test("checkpoints go to CheckpointConfig.S3Uri, else <S3OutputPath>/<job>/checkpoints/; a URI that is not s3:// is refused")
    func checkpointLocations() throws {
        #expect(try TrainingJobSpec(request: beeRequest(name: "j")).checkpointURI.description == "s3://models/output/j/checkpoints/")
        #expect(try TrainingJobSpec(request: beeRequest(name: "j", outputPath: "s3://models/a/")).checkpointURI.description == "s3://models/a/j/checkpoints/")
        #expect(try TrainingJobSpec(request: beeRequest(name: "j", outputPath: "s3://models")).checkpointURI.description == "s3://models/j/checkpoints/")
        var request = beeRequest(name: "j")
        request["CheckpointConfig"] = ["S3Uri": "s3://spot/bees/run-1", "LocalPath": "/opt/ml/checkpoints"]
        #expect(try TrainingJobSpec(request: request).checkpointURI == S3URI(bucket: "spot", key: "bees/run-1"))
        request["CheckpointConfig"] = ["S3Uri": "https://spot.s3.amazonaws.com/bees"]
        #expect(throws: AWSError.self) { try TrainingJobSpec(request: request) }
    }

    @Test("uncompressed output points ModelArtifacts at output/model/; a trailing slash in S3OutputPath is not doubled")
    func artifactLocations() throws {
        #expect(
            try TrainingJobSpec(request: beeRequest(name: "j", compression: "NONE")).modelArtifacts.description
                == "s3://models/output/j/output/model/"
        )
        #expect(
            try TrainingJobSpec(request: beeRequest(name: "j", outputPath: "s3://models/a/")).modelArtifacts.description
                == "s3://models/a/j/output/model.tar.gz"
        )
        #expect(
            try TrainingJobSpec(request: beeRequest(name: "j", outputPath: "s3://models")).modelArtifacts.description
                == "s3://models/j/output/model.tar.gz"
        )
    }

    @Test(
        "the built-in image is recognised by its repository name",
        arguments: [
            ("811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1", true),
            ("433757028032.dkr.ecr.us-west-2.amazonaws.com/object-detection:latest", true),
            ("390948362332.dkr.ecr.cn-north-1.amazonaws.com.cn/object-detection:1", true),
            ("501404015308.dkr.ecr.ap-northeast-1.amazonaws.com/object-detection@sha256:0123abcd", true),
            ("object-detection:1", true),
            ("811284229777.dkr.ecr.us-east-1.amazonaws.com/image-classification:1", false),
            ("811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection-tf:1", false),
            ("811284229777.dkr.ecr.us-east-1.amazonaws.com/team/object-detection:1", false),
            ("", false),
        ]
    )
    func builtInImage(image: String, isBuiltIn: Bool) {
        #expect(BuiltInAlgorithm.isObjectDetection(image: image) == isBuiltIn)
    }

    @Test("requests a run cannot use are ValidationExceptions naming the member")
    func invalidRequests() {
        func expectValidation(_ fragment: String, _ edit: (inout JSONValue) -> Void) {
            var request = beeRequest(name: "job")
            edit(&request)
            do {
                _ = try TrainingJobSpec(request: request)
                Issue.record("accepted; expected a ValidationException containing \(fragment)")
            } catch let error as AWSError {
                #expect(error.code == "ValidationException")
                #expect(error.message.contains(fragment), "\(error.message)")
            } catch {
                Issue.record("expected an AWSError, got \(error)")
            }
        }
        expectValidation("TrainingJobName") { $0["TrainingJobName"] = nil }
        expectValidation("S3OutputPath") { $0["OutputDataConfig"] = ["S3OutputPath": "https://example.com/out"] }
        expectValidation("OutputDataConfig.CompressionType 'ZIP'") { $0["OutputDataConfig"]?["CompressionType"] = "ZIP" }
        expectValidation("APIARY_SEED 'seven'") { $0["Environment"] = ["APIARY_SEED": "seven"] }
        expectValidation("HyperParameters value") { $0["HyperParameters"] = ["epochs": 3] }
        expectValidation("MaxRuntimeInSeconds") { $0["StoppingCondition"] = ["MaxRuntimeInSeconds": 0] }
        expectValidation("InputDataConfig 'train' S3DataType 'Converse'") {
            $0["InputDataConfig"] = [["ChannelName": "train", "DataSource": ["S3DataSource": ["S3DataType": "Converse", "S3Uri": "s3://b/k"]]]]
        }
        expectValidation("InputDataConfig 'train': S3DataSource.S3Uri") {
            $0["InputDataConfig"] = [["ChannelName": "train", "DataSource": ["S3DataSource": ["S3Uri": "/local/path"]]]]
        }
        expectValidation("InputDataConfig 'train': DataSource.S3DataSource") {
            $0["InputDataConfig"] = [["ChannelName": "train", "DataSource": ["FileSystemDataSource": [:]]]]
        }
    }
}
