import Foundation
import NIOCore
import NIOPosix

extension EventLoopFuture where Value: Sendable {
    /// The one place where Apiary's synchronous store and queue APIs (`TrainingJobQueue`'s `throws` methods, called
    /// from the training workers' threads and from request handlers) wait for postgres-nio: the calling thread blocks
    /// until the future resolves while the work runs on NIO's event loops. Never on an event loop thread (that loop
    /// could then never resolve the future): doing so is a programming error and stops the process.
    func waitOffEventLoop() throws -> Value {
        Self.preconditionOffEventLoop()
        return try wait()
    }

    /// `waitOffEventLoop`, giving up after `timeout`: nil when the future has not resolved by then (it is left to
    /// resolve unobserved). A statement's own deadline, which does not depend on postgres-nio failing the future of a
    /// statement sent on a connection that is closing (a ROLLBACK after a restart was seen waiting for ever).
    func waitOffEventLoop(timeout: TimeAmount) throws -> Value? {
        Self.preconditionOffEventLoop()
        let outcome = FutureOutcome<Value>()
        whenComplete { outcome.resolve($0) }
        return try outcome.wait(until: Date(timeIntervalSinceNow: Double(timeout.nanoseconds) / 1e9))?.get()
    }
}

extension EventLoopFuture {
    /// Stops the process when called on an event loop thread (that loop could then never resolve the future waited for).
    fileprivate static func preconditionOffEventLoop() {
        precondition(
            MultiThreadedEventLoopGroup.currentEventLoop == nil,
            "a PostgreSQL call blocked an event loop thread; call the synchronous store from a worker thread or task"
        )
    }
}

/// A future's result, handed from the event loop to the one thread waiting for it.
private final class FutureOutcome<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<Value, any Error>?

    func resolve(_ result: Result<Value, any Error>) {
        condition.withLock {
            self.result = result
            condition.broadcast()
        }
    }

    /// The result, or nil when `deadline` passed first.
    func wait(until deadline: Date) -> Result<Value, any Error>? {
        condition.withLock {
            while result == nil, condition.wait(until: deadline) {}
            return result
        }
    }
}
