/// An MPI call that failed, with Open MPI's own words for why (a peer rank gone, a broken connection).
public struct MPIError: Error, CustomStringConvertible {
    /// The call and what it carried, e.g. `MPI_Allreduce of 4 values`.
    public let operation: String
    /// `MPI_Error_string`'s text.
    public let message: String

    public var description: String {
        "\(operation) failed: \(message). Another rank of this data-parallel job may have died; see mpirun's output."
    }
}
