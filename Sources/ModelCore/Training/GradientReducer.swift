/// The collective operations data-parallel training needs between the ranks of one job (MPI's `Allreduce` and
/// `Bcast`), so that ModelCore trains across processes without depending on an MPI library: single-process
/// training uses `SingleProcessReducer`, `ctl` ranks under `mpirun` an Open MPI implementation.
///
/// Every rank calls the same operations in the same order with buffers of the same sizes; each call returns
/// only once every rank has made it. An operation that cannot complete (a rank died, the network failed) throws,
/// and the step that called it fails.
public protocol GradientReducer: CrossRankSum {
    /// This process's rank, `0..<size`; rank 0 validates, checkpoints and uploads.
    var rank: Int { get }
    /// How many ranks train the job.
    var size: Int { get }
    /// Replaces each buffer's elements by their sum over every rank; every rank ends with the same values.
    func sum(_ buffers: [UnsafeMutableBufferPointer<Float>]) throws
    /// Rank 0's `values`, on every rank.
    func broadcast(_ values: [Double]) throws -> [Double]
}

/// The reducer of a job trained by one process: every operation returns its input.
public final class SingleProcessReducer: GradientReducer {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func sum(_ buffers: [UnsafeMutableBufferPointer<Float>]) throws {}
    public func sum(_ values: [Double]) throws -> [Double] { values }
    public func broadcast(_ values: [Double]) throws -> [Double] { values }
}
