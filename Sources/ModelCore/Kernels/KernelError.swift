import CDNNL

/// A failure inside a native kernel library (oneDNN): the operation that failed and the library's status.
///
/// Shape misuse is a programming error and traps with `precondition`; a failed library call (out of memory,
/// unsupported configuration) is thrown, so a training worker can record it as the job's `FailureReason`.
public struct KernelError: Error, Sendable, CustomStringConvertible {
    /// What Apiary asked the library to do, e.g. "create convolution forward primitive".
    public let operation: String
    /// The library's status name, e.g. "dnnl_out_of_memory".
    public let status: String

    public var description: String { "kernel error: \(operation) failed with \(status)" }
}

/// Converts a oneDNN status into a thrown `KernelError`; the one failure policy for every oneDNN call.
@inline(__always)
func dnnlCheck(_ status: dnnl_status_t, _ operation: @autoclosure () -> String) throws {
    guard status != dnnl_success else { return }
    throw KernelError(operation: operation(), status: dnnlStatusName(status))
}

private func dnnlStatusName(_ status: dnnl_status_t) -> String {
    switch status {
    case dnnl_out_of_memory: "dnnl_out_of_memory"
    case dnnl_invalid_arguments: "dnnl_invalid_arguments"
    case dnnl_unimplemented: "dnnl_unimplemented"
    case dnnl_iterator_ends: "dnnl_iterator_ends"
    case dnnl_runtime_error: "dnnl_runtime_error"
    case dnnl_not_required: "dnnl_not_required"
    default: "dnnl_status(\(status.rawValue))"
    }
}
