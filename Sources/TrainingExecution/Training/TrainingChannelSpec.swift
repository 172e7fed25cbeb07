import AWSProtocol
import ObjectStore

/// One entry of a training job's `InputDataConfig` (sagemaker-api.md §7.1.1): a named channel of S3 data.
public struct TrainingChannelSpec: Sendable, Equatable {
    /// `ChannelName`: `train`, `validation`, `train_annotation`, `validation_annotation`.
    public var name: String
    /// `DataSource.S3DataSource.S3DataType`.
    public var dataType: S3DataType
    /// `DataSource.S3DataSource.S3Uri`: a key prefix, a manifest file or an augmented manifest.
    public var uri: S3URI
    /// `DataSource.S3DataSource.AttributeNames` (augmented manifests: the image's `source-ref`, then the label).
    public var attributeNames: [String]
    /// `ContentType`, verbatim.
    public var contentType: String?
    /// `CompressionType`.
    public var compression: Compression
    /// `RecordWrapperType`.
    public var recordWrapper: RecordWrapper
    /// The channel's `InputMode`, else `AlgorithmSpecification.TrainingInputMode`, else `File`.
    public var inputMode: InputMode
    /// `DataSource.S3DataSource.S3DataDistributionType`: what each instance of a multi-instance job receives.
    public var distribution: Distribution

    /// `S3DataDistributionType`.
    public enum Distribution: String, Sendable, Equatable, CaseIterable {
        /// Every instance receives the whole channel (the default).
        case fullyReplicated = "FullyReplicated"
        /// Each of N instances receives about 1/N of the channel's objects; here every N-th record (an augmented
        /// manifest's lines each name their own image object).
        case shardedByS3Key = "ShardedByS3Key"
    }

    /// `S3DataType`: how `uri` names the channel's objects.
    public enum S3DataType: String, Sendable, Equatable, CaseIterable {
        /// Every object whose key starts with the URI's key.
        case s3Prefix = "S3Prefix"
        /// A JSON list: `[{"prefix": "s3://bucket/prefix/"}, "relative/key", …]`.
        case manifestFile = "ManifestFile"
        /// JSON Lines, one record per line, read through `AttributeNames`.
        case augmentedManifestFile = "AugmentedManifestFile"
    }

    /// `CompressionType` of the channel's objects.
    public enum Compression: String, Sendable, Equatable, CaseIterable {
        case none = "None"
        case gzip = "Gzip"
    }

    /// `RecordWrapperType`: `RecordIO` wraps each augmented-manifest attribute in a RecordIO record in Pipe
    /// mode. The records reach the algorithm the same either way here.
    public enum RecordWrapper: String, Sendable, Equatable, CaseIterable {
        case none = "None"
        case recordIO = "RecordIO"
    }

    /// `InputMode` / `TrainingInputMode`. Every mode reads the same objects here.
    public enum InputMode: String, Sendable, Equatable, CaseIterable {
        case file = "File"
        case pipe = "Pipe"
        case fastFile = "FastFile"
    }

    public init(
        name: String,
        dataType: S3DataType,
        uri: S3URI,
        attributeNames: [String] = [],
        contentType: String? = nil,
        compression: Compression = .none,
        recordWrapper: RecordWrapper = .none,
        inputMode: InputMode = .file,
        distribution: Distribution = .fullyReplicated
    ) {
        self.name = name
        self.dataType = dataType
        self.uri = uri
        self.attributeNames = attributeNames
        self.contentType = contentType
        self.compression = compression
        self.recordWrapper = recordWrapper
        self.inputMode = inputMode
        self.distribution = distribution
    }

    /// Reads one `InputDataConfig` entry.
    /// - Throws: `AWSError` (`ValidationException`) naming the member.
    init(json: JSONValue, defaultInputMode: InputMode) throws {
        guard let channelName = json["ChannelName"]?.stringValue, !channelName.isEmpty else {
            throw AWSError.validation("InputDataConfig: every channel needs a ChannelName string")
        }
        let member = "InputDataConfig '\(channelName)'"
        guard let source = json["DataSource"]?["S3DataSource"] else {
            throw AWSError.validation("\(member): DataSource.S3DataSource is required (no other data source is supported)")
        }
        guard let uriText = source["S3Uri"]?.stringValue, let uri = S3URI(uriText) else {
            throw AWSError.validation("\(member): S3DataSource.S3Uri must be an s3:// URI, got \(source["S3Uri"]?.rendered() ?? "nothing")")
        }
        func optional<E: RawRepresentable & CaseIterable>(_ value: JSONValue?, _ type: E.Type, _ path: String) throws -> E?
        where E.RawValue == String {
            try value.map { try TrainingJobSpec.enumeration($0, type, "\(member) \(path)") }
        }
        name = channelName
        self.uri = uri
        dataType = try optional(source["S3DataType"], S3DataType.self, "S3DataType") ?? .s3Prefix
        attributeNames = try (source["AttributeNames"]?.arrayValue ?? []).map { try TrainingJobSpec.string($0, "\(member) AttributeNames") }
        contentType = try json["ContentType"].map { try TrainingJobSpec.string($0, "\(member) ContentType") }
        compression = try optional(json["CompressionType"], Compression.self, "CompressionType") ?? .none
        recordWrapper = try optional(json["RecordWrapperType"], RecordWrapper.self, "RecordWrapperType") ?? .none
        inputMode = try optional(json["InputMode"], InputMode.self, "InputMode") ?? defaultInputMode
        distribution = try optional(source["S3DataDistributionType"], Distribution.self, "S3DataDistributionType") ?? .fullyReplicated
    }
}
