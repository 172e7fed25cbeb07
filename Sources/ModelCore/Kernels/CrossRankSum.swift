/// Element-wise sums over the ranks of a data-parallel job (MPI's `Allreduce`), all a kernel needs of them:
/// synchronised batch norm (`SynchronizedBatchStatistics`) sums its per-channel statistics and gradient sums with it.
/// `GradientReducer` is the whole set of collectives training uses.
///
/// Every rank calls it in the same order with arrays of the same size; it returns once every rank has; it throws
/// when it cannot complete (a rank died), failing the step.
public protocol CrossRankSum: AnyObject {
    /// The element-wise sum of `values` over every rank.
    func sum(_ values: [Double]) throws -> [Double]
}
