import Foundation

/// Why the daemon wants a running job to end between batches.
enum StopRequest: Sendable, Equatable {
    /// StopTrainingJob: end Stopped.
    case userStop
    /// The daemon is shutting down: keep the job InProgress and queued; it resumes from its checkpoint.
    case shutdown
}

/// The flag a running job's stop hook polls between batches.
package final class TrainingJobControl: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: StopRequest?

    func request(_ reason: StopRequest) {
        lock.lock()
        defer { lock.unlock() }
        if self.reason == nil { self.reason = reason }
    }

    var requested: StopRequest? {
        lock.lock()
        defer { lock.unlock() }
        return reason
    }
}
