/// What a running training job reports, in order, for the daemon to record: secondary status changes, the
/// algorithm's log (CloudWatch events), per-epoch metrics and checkpoints.
public enum TrainingProgress: Sendable, Equatable {
    /// The job entered `status`; `message` is SageMaker's `StatusMessage` for the transition.
    case secondaryStatus(TrainingSecondaryStatus, message: String)
    /// Training continues from the checkpoint saved after `completedEpochs` epochs (a restarted job).
    case resuming(completedEpochs: Int)
    /// One line of the algorithm's log, without timestamp (`AlgorithmLog.line(_:)` adds one).
    case log(String)
    /// The metrics of a finished epoch (0-based, as the log numbers them).
    case epochMetrics(epoch: Int, metrics: [TrainingMetric])
    /// The checkpoint after `completedEpochs` epochs is on disk: a restarted job resumes from it.
    case checkpointSaved(completedEpochs: Int)

    /// The event as one line of text; for `resuming`, the `StatusMessage` of the transition it starts.
    public var message: String {
        switch self {
        case .secondaryStatus(_, let message): message
        case .resuming(let epochs): "Resuming training from the checkpoint of epoch \(epochs)"
        case .log(let line): line
        case .epochMetrics(let epoch, let metrics):
            "Epoch \(epoch) metrics: " + metrics.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        case .checkpointSaved(let epochs): "Checkpoint saved after epoch \(epochs)"
        }
    }
}

/// The secondary statuses a training run passes through (sagemaker-api.md §8.1). `Starting` (and `Pending`)
/// before the run and the terminal ones after it are the daemon's to set.
public enum TrainingSecondaryStatus: String, Sendable, Equatable {
    /// Reading and checking the input channels ("Downloading input data").
    case downloading = "Downloading"
    /// The algorithm runs ("Training image download completed. Training in progress.").
    case training = "Training"
    /// Writing the model artifact ("Uploading generated training model").
    case uploading = "Uploading"
}
