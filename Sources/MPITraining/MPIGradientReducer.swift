import CMPI
import Dispatch
import ModelCore

/// The `GradientReducer` of a rank started by Open MPI's `mpirun`: sums and broadcasts over `MPI_COMM_WORLD`.
///
/// Errors come back as `MPIError` instead of aborting the process (`MPI_ERRORS_RETURN`), so the step that met
/// them fails with a message; a rank that dies is noticed by `mpirun`, which ends the other ranks and exits
/// non-zero naming the rank. Collectives are called from one thread at a time (`MPI_THREAD_SERIALIZED`).
public final class MPIGradientReducer: GradientReducer {
    public let rank: Int
    public let size: Int
    /// Where this rank's time went, for the closing `#collective_metric` line.
    public private(set) var timing = CollectiveTiming()

    /// Whether this process was started by `mpirun` (Open MPI sets `OMPI_COMM_WORLD_SIZE` for its ranks).
    public static func isLaunchedByMPIRun(_ environment: [String: String]) -> Bool {
        environment["OMPI_COMM_WORLD_SIZE"] != nil
    }

    /// Initialises MPI for this process; call `finish()` after the last collective, or `abort(_:)` on failure.
    public init() throws {
        var provided: Int32 = 0
        try Self.check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_SERIALIZED), &provided), "MPI_Init_thread")
        let world = ck_mpi_comm_world()
        try Self.check(MPI_Comm_set_errhandler(world, ck_mpi_errors_return()), "MPI_Comm_set_errhandler")
        var rank: Int32 = 0
        var size: Int32 = 0
        try Self.check(MPI_Comm_rank(world, &rank), "MPI_Comm_rank")
        try Self.check(MPI_Comm_size(world, &size), "MPI_Comm_size")
        self.rank = Int(rank)
        self.size = Int(size)
    }

    public func sum(_ buffers: [UnsafeMutableBufferPointer<Float>]) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { timing.gradientSum(from: start, to: DispatchTime.now().uptimeNanoseconds) }
        for buffer in buffers where buffer.count > 0 {
            precondition(buffer.count <= Int(Int32.max), "a buffer of \(buffer.count) elements is beyond MPI's int count")
            try Self.check(
                MPI_Allreduce(ck_mpi_in_place(), buffer.baseAddress, Int32(buffer.count), ck_mpi_float(), ck_mpi_sum(), ck_mpi_comm_world()),
                "MPI_Allreduce of \(buffer.count) gradients"
            )
        }
    }

    public func sum(_ values: [Double]) throws -> [Double] {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { timing.valueSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        var result = values
        try result.withUnsafeMutableBufferPointer { buffer in
            try Self.check(
                MPI_Allreduce(ck_mpi_in_place(), buffer.baseAddress, Int32(buffer.count), ck_mpi_double(), ck_mpi_sum(), ck_mpi_comm_world()),
                "MPI_Allreduce of \(buffer.count) values"
            )
        }
        return result
    }

    public func broadcast(_ values: [Double]) throws -> [Double] {
        var result = values
        try result.withUnsafeMutableBufferPointer { buffer in
            try Self.check(MPI_Bcast(buffer.baseAddress, Int32(buffer.count), ck_mpi_double(), 0, ck_mpi_comm_world()), "MPI_Bcast from algo-1")
        }
        return result
    }

    /// Ends MPI cleanly once this rank has made its last collective call (`mpirun` counts a rank that exits
    /// without it as failed).
    public func finish() {
        MPI_Finalize()
    }

    /// Ends every rank of the job at once with `code`: a rank that failed on its own (bad data in its shard) must
    /// not leave the others waiting in a collective.
    public func abort(_ code: Int32) -> Never {
        MPI_Abort(ck_mpi_comm_world(), code)
        fatalError("MPI_Abort returned")
    }

    private static func check(_ code: Int32, _ operation: String) throws {
        guard code != ck_mpi_success() else { return }
        var text = [CChar](repeating: 0, count: Int(ck_mpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        throw MPIError(operation: operation, message: String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
