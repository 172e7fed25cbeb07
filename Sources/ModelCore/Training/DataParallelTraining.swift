/// One process's part in a data-parallel training job (a SageMaker job with `ResourceConfig.InstanceCount > 1`):
/// every rank runs the same network from the same seed on its own images, and the gradients are summed across
/// ranks every step, so all ranks take the same optimizer steps and hold the same weights.
///
/// `mini_batch_size` is per rank, as on SageMaker ("the actual batch size is mini_batch_size × number of
/// machines"). The multibox loss is normalised by the positive anchors of the whole global batch, and batch norm
/// normalises with the statistics of the whole global batch (synchronised batch norm, `BatchNorm.synchronizer`),
/// so the summed gradient is exactly the global batch's: with replicated data, N ranks train as one process with
/// the global batch, up to float rounding.
public struct DataParallelTraining {
    /// How the train channel reached the ranks (`S3DataDistributionType`).
    public enum TrainingData: Sendable {
        /// `FullyReplicated`: every rank holds every record and takes its slice of each global batch; together
        /// the ranks see exactly the images and augmentations one process with the global batch would.
        case replicated
        /// `ShardedByS3Key`: each rank holds its own records (`shard(_:)`), shuffled and augmented on its own;
        /// the ranks take as many steps as the largest shard needs, smaller shards wrapping around.
        case sharded
    }

    public let reducer: any GradientReducer
    public let trainingData: TrainingData

    public init(reducer: any GradientReducer, trainingData: TrainingData) {
        self.reducer = reducer
        self.trainingData = trainingData
    }

    /// One process training alone.
    public static var singleProcess: DataParallelTraining { DataParallelTraining(reducer: SingleProcessReducer(), trainingData: .replicated) }

    /// Whether batch norm normalises over the ranks (`SSDNetwork.synchronizeBatchNorm`): for every rank of a
    /// launched job, a lone one included, so that one rank with the global batch is the reference N ranks equal;
    /// not for one process training alone, whose batch norm stays oneDNN's own.
    public var synchronizesBatchNorm: Bool { !(reducer is SingleProcessReducer) }

    /// SageMaker's name of this rank's host: `algo-1` … `algo-N`.
    public var host: String { Self.host(rank: reducer.rank) }

    /// Rank 0 validates, checkpoints and uploads; the others only train.
    public var isLeader: Bool { reducer.rank == 0 }

    /// SageMaker's name of rank `rank`'s host.
    public static func host(rank: Int) -> String { "algo-\(rank + 1)" }

    /// This rank's share of records sharded by key: every `size`-th record from position `rank` of the channel's
    /// key order, so shards differ in size by at most one.
    public func shard<Record>(_ records: [Record]) -> [Record] {
        stride(from: reducer.rank, to: records.count, by: reducer.size).map { records[$0] }
    }
}
