import ControlPlane
import ObjectStore

extension TrainingJobSpec {
    /// `ModelArtifacts.S3ModelArtifacts`, computed once for CreateTrainingJob's Describe document and for the worker's
    /// upload: `<S3OutputPath>/<job>/output/model.tar.gz`, or with `CompressionType NONE` the prefix
    /// `<S3OutputPath>/<job>/output/model/` under which the model's files are written uncompressed. SageMaker reports
    /// such a job's artifacts as that prefix, and the SageMaker Python SDK deploys it as an `S3Prefix` ending in `/`
    /// (`Estimator.model_data`). Trailing slashes of the output path are not doubled.
    public static func modelArtifactsURI(outputPath: String, jobName: String, compression: OutputCompression) -> String {
        var base = outputPath
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/\(jobName)/output/" + (compression == .gzip ? "model.tar.gz" : "model/")
    }

    /// Where the model goes (`modelArtifactsURI`).
    public var modelArtifacts: S3URI {
        // An s3:// URI with a bucket stays one with a path appended.
        S3URI(Self.modelArtifactsURI(outputPath: outputPath.description, jobName: jobName, compression: outputCompression))!
    }
}
