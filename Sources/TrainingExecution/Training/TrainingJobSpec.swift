import AWSProtocol
import ObjectStore

/// What one training run needs, read from a `CreateTrainingJob` request (sagemaker-api.md §7.1): the job's
/// name, algorithm image, hyperparameters, input channels, output location, runtime limit and random seed.
///
/// Parsing checks only what the run depends on (types, `s3://` URIs, the enumerations it interprets); the
/// request is otherwise the daemon's to validate and echo.
public struct TrainingJobSpec: Sendable, Equatable {
    /// `TrainingJobName`.
    public var jobName: String
    /// `AlgorithmSpecification.TrainingImage`, verbatim; nil when the request names an algorithm instead.
    public var trainingImage: String?
    /// `HyperParameters` (all strings; validated by the algorithm when the job runs).
    public var hyperparameters: [String: String]
    /// `InputDataConfig`, in request order.
    public var channels: [TrainingChannelSpec]
    /// `OutputDataConfig.S3OutputPath`.
    public var outputPath: S3URI
    /// `OutputDataConfig.CompressionType`.
    public var outputCompression: OutputCompression
    /// Where the job's checkpoint is kept in the object store, so that a job resumed on any node continues from it:
    /// `CheckpointConfig.S3Uri` when the request has one, else `<S3OutputPath>/<job>/checkpoints/`
    /// (`defaultCheckpointURI`).
    public var checkpointURI: S3URI
    /// `StoppingCondition.MaxRuntimeInSeconds`; enforcing it is the caller's (through the stop hook).
    public var maxRuntimeInSeconds: Int?
    /// Seeds weight initialisation, data order and augmentation: `Environment["APIARY_SEED"]` when given,
    /// else `derivedSeed(jobName:)`, so a job's result is reproducible either way.
    public var seed: UInt64

    /// `OutputDataConfig.CompressionType`.
    public enum OutputCompression: String, Sendable, Equatable, CaseIterable {
        /// One `model.tar.gz` (the default).
        case gzip = "GZIP"
        /// The artifact's files uncompressed under `output/model/`.
        case none = "NONE"
    }

    /// The environment variable that fixes the seed.
    public static let seedEnvironmentVariable = "APIARY_SEED"

    /// Reads a `CreateTrainingJob` request body.
    /// - Throws: `AWSError` (`ValidationException`) naming the member that cannot be used.
    public init(request: JSONValue) throws {
        guard let name = request["TrainingJobName"]?.stringValue, !name.isEmpty else {
            throw AWSError.validation("TrainingJobName must be a non-empty string")
        }
        jobName = name
        trainingImage = try request["AlgorithmSpecification"]?["TrainingImage"].map { try Self.string($0, "AlgorithmSpecification.TrainingImage") }
        hyperparameters = try Self.stringMap(request["HyperParameters"], "HyperParameters")
        let defaultInputMode = try request["AlgorithmSpecification"]?["TrainingInputMode"].map {
            try Self.enumeration($0, TrainingChannelSpec.InputMode.self, "AlgorithmSpecification.TrainingInputMode")
        }
        let channelValues = try request["InputDataConfig"].map { value -> [JSONValue] in
            guard let array = value.arrayValue else { throw AWSError.validation("InputDataConfig must be a list, got \(value.typeName)") }
            return array
        }
        channels = try (channelValues ?? []).map { try TrainingChannelSpec(json: $0, defaultInputMode: defaultInputMode ?? .file) }

        guard let output = request["OutputDataConfig"]?["S3OutputPath"]?.stringValue else {
            throw AWSError.validation("OutputDataConfig.S3OutputPath must be a string")
        }
        guard let outputURI = S3URI(output) else { throw AWSError.validation("OutputDataConfig.S3OutputPath '\(output)' is not an s3:// URI") }
        outputPath = outputURI
        outputCompression =
            try request["OutputDataConfig"]?["CompressionType"].map {
                try Self.enumeration($0, OutputCompression.self, "OutputDataConfig.CompressionType")
            } ?? .gzip

        if let value = request["CheckpointConfig"]?["S3Uri"] {
            let text = try Self.string(value, "CheckpointConfig.S3Uri")
            guard let uri = S3URI(text) else {
                throw AWSError.validation("CheckpointConfig.S3Uri '\(text)' is not an s3:// URI (s3://bucket/prefix)")
            }
            checkpointURI = uri
        } else {
            checkpointURI = Self.defaultCheckpointURI(outputPath: outputURI, jobName: name)
        }

        if let runtime = request["StoppingCondition"]?["MaxRuntimeInSeconds"] {
            guard let seconds = runtime.intValue, seconds >= 1 else {
                throw AWSError.validation("StoppingCondition.MaxRuntimeInSeconds must be a positive integer, got \(runtime.rendered())")
            }
            maxRuntimeInSeconds = seconds
        }

        let environment = try Self.stringMap(request["Environment"], "Environment")
        if let text = environment[Self.seedEnvironmentVariable] {
            guard let seed = UInt64(text) else {
                throw AWSError.validation(
                    "Environment \(Self.seedEnvironmentVariable) '\(text)' must be a decimal integer from 0 to \(UInt64.max)"
                )
            }
            self.seed = seed
        } else {
            seed = Self.derivedSeed(jobName: name)
        }
    }

    /// The checkpoint prefix of a job without `CheckpointConfig`: `<S3OutputPath>/<job>/checkpoints/`, beside the
    /// `output/` folder of its model (trailing slashes of the output path are not doubled).
    public static func defaultCheckpointURI(outputPath: S3URI, jobName: String) -> S3URI {
        var base = outputPath
        while base.key.hasSuffix("/") { base.key.removeLast() }
        return base.appending("\(jobName)/checkpoints/")
    }

    /// The seed of a job without `APIARY_SEED`: the 64-bit FNV-1a hash of the name's UTF-8 bytes (stable
    /// across runs and platforms, unlike Swift's per-process `Hasher`).
    public static func derivedSeed(jobName: String) -> UInt64 {
        jobName.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }

    // MARK: - Reading members

    static func string(_ value: JSONValue, _ member: String) throws -> String {
        guard let text = value.stringValue else { throw AWSError.validation("\(member) must be a string, got \(value.typeName)") }
        return text
    }

    static func enumeration<E: RawRepresentable & CaseIterable>(_ value: JSONValue, _: E.Type, _ member: String) throws -> E
    where E.RawValue == String {
        let text = try string(value, member)
        guard let parsed = E(rawValue: text) else {
            let allowed = E.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw AWSError.validation("\(member) '\(text)' is not supported here; use one of \(allowed)")
        }
        return parsed
    }

    private static func stringMap(_ value: JSONValue?, _ member: String) throws -> [String: String] {
        guard let value else { return [:] }
        guard let members = value.objectValue else { throw AWSError.validation("\(member) must be a map, got \(value.typeName)") }
        return try members.mapValues { try string($0, "\(member) value") }
    }
}
