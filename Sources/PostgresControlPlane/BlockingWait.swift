import NIOCore
import NIOPosix

extension EventLoopFuture where Value: Sendable {
    /// The one place where Apiary's synchronous store and queue APIs (`TrainingJobQueue`'s `throws` methods, called
    /// from the training workers' threads and from request handlers) wait for postgres-nio: the calling thread blocks
    /// until the future resolves while the work runs on NIO's event loops. Never on an event loop thread (that loop
    /// could then never resolve the future): doing so is a programming error and stops the process.
    func waitOffEventLoop() throws -> Value {
        precondition(
            MultiThreadedEventLoopGroup.currentEventLoop == nil,
            "a PostgreSQL call blocked an event loop thread; call the synchronous store from a worker thread or task"
        )
        return try wait()
    }
}
