import Foundation
import ModelCore
import ObjectStore

/// A training job's checkpoint in the object store, at `TrainingJobSpec.checkpointURI`, so that any node — a daemon
/// or a `ctl worker` with another home — resumes a job whose worker died from its last epoch:
///
/// - `checkpoint-<N>.apiary`: the `CheckpointFile` after epoch N, under a key of its own;
/// - `progress.json`: the `TrainingWorkDirectory.Progress` of epoch N, which names the checkpoint by its N.
///
/// Written after the work directory's local copy, checkpoint first, then the progress, then the previous epoch's
/// checkpoint removed: each object is replaced atomically, and the progress is the commit record — whenever a reader
/// finds a progress, the checkpoint it names is there whole (a checkpoint no progress names yet is ignored).
struct CheckpointObjects {
    let storage: any ObjectStorage
    /// The prefix the objects are under.
    let prefix: S3URI

    var progressURI: S3URI { prefix.appending("progress.json") }

    func checkpointURI(epochs: Int) -> S3URI { prefix.appending("checkpoint-\(epochs).apiary") }

    /// Fails early, before any training, when the checkpoint's bucket is missing.
    func checkBucket() throws {
        guard ObjectStore.isValidBucketName(prefix.bucket), try storage.bucketExists(prefix.bucket) else {
            throw TrainingClientError(
                "The bucket '\(prefix.bucket)' of the job's checkpoints (\(prefix); CheckpointConfig.S3Uri, or the output path's) does not exist: "
                    + "create it before starting the job.")
        }
    }

    /// Records a completed epoch (`checkpoint` encoded as `CheckpointFile`).
    func save(checkpoint: [UInt8], progress: TrainingWorkDirectory.Progress) throws {
        try storage.put(Data(checkpoint), at: checkpointURI(epochs: progress.completedEpochs), attributes: .init())
        try save(progress)
        if progress.completedEpochs > 1 {
            do {
                try storage.delete(checkpointURI(epochs: progress.completedEpochs - 1))
            } catch ObjectStoreError.noSuchKey {}
        }
    }

    /// Records progress without a new checkpoint (training finished after the last one).
    func save(_ progress: TrainingWorkDirectory.Progress) throws {
        try storage.put(Data(progress.encoded()), at: progressURI, attributes: .init(contentType: "application/json"))
    }

    /// Copies the stored checkpoint of `job` into `work` when it is further along than `work`'s own (none on a node
    /// that never ran the job): progress first, as the work directory always writes them.
    /// - Returns: the epochs of the checkpoint copied, or nil when `work` is as far along or nothing is stored for
    ///   `job` (a progress of another job — a `CheckpointConfig.S3Uri` reused — is left alone).
    /// - Throws: when the object store cannot be read (not when the objects are missing).
    func restore(into work: TrainingWorkDirectory, job: String) throws -> Int? {
        let local = try work.loadProgress()?.completedEpochs ?? 0
        // A writer still running (it never is: the job's lease is this worker's) could replace the progress between
        // the two reads; read again then.
        for _ in 0..<3 {
            guard let progress = try latestProgress(), progress.job == job, progress.completedEpochs > local else { return nil }
            do {
                let checkpoint = try storage.get(checkpointURI(epochs: progress.completedEpochs))
                try work.save(checkpoint: Array(checkpoint), progress: progress)
                return progress.completedEpochs
            } catch ObjectStoreError.noSuchKey {
                continue
            }
        }
        return nil
    }

    private func latestProgress() throws -> TrainingWorkDirectory.Progress? {
        do {
            return try TrainingWorkDirectory.Progress(encoded: Array(storage.get(progressURI)), source: progressURI.description)
        } catch ObjectStoreError.noSuchKey {
            return nil
        } catch ObjectStoreError.noSuchBucket, ObjectStoreError.invalidBucketName {
            return nil  // the runner's `checkBucket` says what is wrong
        }
    }
}
