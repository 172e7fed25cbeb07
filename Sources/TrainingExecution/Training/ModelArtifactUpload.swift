import Foundation
import ImageCodec
import ModelCore
import ObjectStore

/// Writes a trained model where `ModelArtifacts.S3ModelArtifacts` points: `…/output/model.tar.gz`, or with
/// `CompressionType NONE` the archive's files (`hyperparams.json`, `model_algo_1-symbol.json`,
/// `model_algo_1-0000.params`) under `…/output/model/`, as SageMaker's uncompressed upload mode does.
struct ModelArtifactUpload {
    let store: any ObjectStorage
    /// `TrainingJobSpec.modelArtifacts`.
    let destination: S3URI
    let compression: TrainingJobSpec.OutputCompression

    /// Fails early, before any training, when the output bucket is missing.
    func checkBucket() throws {
        guard ObjectStore.isValidBucketName(destination.bucket), try store.bucketExists(destination.bucket) else { throw missingBucket }
    }

    func put(_ artifact: ModelArtifact) throws {
        let archive = try artifact.archive()
        do {
            switch compression {
            case .gzip:
                try store.put(Data(archive), at: destination, attributes: .init())
            case .none:
                for entry in try TarArchive.read(Gzip.decompress(archive)) {
                    try store.put(Data(entry.contents), at: destination.appending(entry.name), attributes: .init())
                }
            }
        } catch ObjectStoreError.noSuchBucket {
            throw missingBucket
        }
    }

    /// `results.csv` and `results.png` next to the model (`…/<job>/output/`).
    func put(_ results: TrainingResults, job: String) throws {
        let folder = S3URI(TrainingResults.folder(of: destination.description))!
        try store.put(Data(results.csv.utf8), at: folder.appending("results.csv"), attributes: .init())
        try store.put(Data(try PNGCodec.encode(results.chart(job: job))), at: folder.appending("results.png"), attributes: .init())
    }

    private var missingBucket: TrainingClientError {
        TrainingClientError(
            "The output bucket '\(destination.bucket)' of OutputDataConfig.S3OutputPath does not exist: create it before starting the job."
        )
    }
}
