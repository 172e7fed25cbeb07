import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs one piece of work ahead on a loader thread of idle priority: while the network trains on batch `k`,
/// batch `k + 1` is decoded and augmented in the cycles the network leaves (oneDNN's threads sleeping at their
/// barriers), never taking a core from them. On two cores a loader at normal priority parks an OpenMP thread
/// that another is waiting for at a barrier, which cost more than the overlap saved (docs/performance.md).
///
/// When the step needs the batch before the loader has finished it, the loader is raised back to normal priority
/// for the rest of it; when the loader has not even started it, the caller runs it itself, on every core. The
/// work is told which (`start`'s argument: `true` on the caller, where it may spread over Dispatch's pool), and
/// must return the same value either way.
final class Prefetcher<Value: Sendable>: @unchecked Sendable {
    typealias Work = @Sendable (_ onCaller: Bool) throws -> Value

    private let condition = NSCondition()
    /// Started and not yet taken by the loader.
    private var queued: Work?
    private var result: Result<Value, any Error>?
    private var pending = false
    private var stopping = false
    private var loader: pthread_t?

    init() {
        let thread = Thread { [self] in run() }
        thread.name = "apiary.prefetch"
        thread.start()
    }

    /// Starts `work` ahead; `take()` returns its value.
    func start(_ work: @escaping Work) {
        condition.withLock {
            precondition(!pending, "a prefetch is already running")
            pending = true
            queued = work
            result = nil
            condition.broadcast()
        }
    }

    /// The value of the last `start`, waiting for it, or computing it here if the loader has not begun.
    func take() throws -> Value {
        condition.lock()
        precondition(pending, "nothing was prefetched")
        pending = false
        if let work = queued {
            queued = nil
            condition.unlock()
            return try work(true)
        }
        if result == nil, let loader { Self.setIdle(loader, false) }
        while result == nil { condition.wait() }
        let value = result!
        result = nil
        condition.unlock()
        return try value.get()
    }

    /// Waits for and drops a prefetch that is no longer needed (training stopped), and ends the loader thread.
    func cancel() {
        if pending { _ = try? take() }
        condition.withLock {
            stopping = true
            condition.broadcast()
        }
    }

    private func run() {
        let me = pthread_self()
        condition.withLock { loader = me }
        while true {
            condition.lock()
            while queued == nil, !stopping { condition.wait() }
            guard let work = queued else {
                condition.unlock()
                return
            }
            queued = nil
            // Under the lock: a `take()` that raises the loader for this work does so after this.
            Self.setIdle(me, true)
            condition.unlock()
            let value = Result { try work(false) }
            condition.withLock {
                result = value
                condition.broadcast()
            }
        }
    }

    /// `SCHED_IDLE` (runs only on a core nothing else wants) or back to `SCHED_OTHER`; a thread may always make
    /// this switch for itself or a thread of its process, and a refusal only costs overlap.
    private static func setIdle(_ thread: pthread_t, _ idle: Bool) {
        #if os(Linux)
        var parameters = sched_param()
        // SCHED_IDLE is 5 and SCHED_OTHER 0 (<bits/sched.h>; SCHED_IDLE is behind _GNU_SOURCE).
        _ = pthread_setschedparam(thread, idle ? 5 : 0, &parameters)
        #endif
    }
}
