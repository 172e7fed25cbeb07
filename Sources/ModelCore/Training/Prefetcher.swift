import Dispatch
import Foundation

/// Runs one piece of work ahead on a background queue: while the network trains on batch `i`, batch `i + 1` is
/// decoded and augmented ("JPEG and PNG decoded on loader threads overlapping compute").
final class Prefetcher<Value: Sendable>: @unchecked Sendable {
    private let queue = DispatchQueue(label: "apiary.prefetch", qos: .userInitiated)
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>?
    private var pending = false

    /// Starts `work` in the background; `take()` waits for it.
    func start(_ work: @escaping @Sendable () throws -> Value) {
        precondition(!pending, "a prefetch is already running")
        pending = true
        queue.async {
            self.result = Result { try work() }
            self.done.signal()
        }
    }

    /// The result of the last `start`, waiting for it if needed.
    func take() throws -> Value {
        precondition(pending, "nothing was prefetched")
        done.wait()
        pending = false
        return try result!.get()
    }

    /// Waits for and drops a prefetch that is no longer needed (training stopped).
    func cancel() {
        if pending { _ = try? take() }
    }
}
