import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// One daemon's connections to the shared database: at most `size` open at once, each used by one thread at a time
/// (a transaction holds its connection until it ends). A connection that broke or that the server closed (a restart)
/// is dropped, and a new one made on the next use. Opening connects once, so that a URL that does not answer is a clear error at start.
package final class PostgresConnections: @unchecked Sendable {
    package let url: PostgresURL
    private let size: Int
    private let logger: Logger
    private let eventLoops: any EventLoopGroup
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    /// Connections idle or checked out.
    private var count = 0
    private var nextID = 0
    private var closed = false

    /// - Parameter size: how many statements may run at once (a daemon's worker threads plus its request handlers).
    package init(url: PostgresURL, size: Int = 4, logger: Logger, eventLoops: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.url = url
        self.size = max(1, size)
        self.logger = logger
        self.eventLoops = eventLoops
        idle = [try connect()]
        count = 1
    }

    /// Runs `body` on a connection of its own, waiting while all `size` are busy.
    package func withSession<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let connection = try checkOut()
        let session = PostgresSession(connection: connection, logger: logger)
        defer { checkIn(connection, broken: session.isBroken) }
        return try body(session)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    package func transaction<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try withSession { session in try session.transaction { try body(session) } }
    }

    /// Closes every connection; later calls throw.
    package func close() {
        let connections = condition.withLock {
            closed = true
            condition.broadcast()
            defer { idle = [] }
            return idle
        }
        for connection in connections { try? connection.close().waitOffEventLoop() }
    }

    deinit { for connection in idle { Self.closeInBackground(connection) } }

    private func checkOut() throws -> PostgresConnection {
        let reused: PostgresConnection? = try condition.withLock {
            while true {
                guard !closed else { throw PostgresDatabaseError.unreachable(url, reason: "its connections were closed") }
                while let connection = idle.popLast() {
                    if !connection.isClosed { return connection }
                    count -= 1
                }
                if count < size {
                    count += 1
                    return nil
                }
                condition.wait()
            }
        }
        if let reused { return reused }
        do {
            return try connect()
        } catch {
            condition.withLock {
                count -= 1
                condition.signal()
            }
            throw error
        }
    }

    private func checkIn(_ connection: PostgresConnection, broken: Bool) {
        let keep = condition.withLock {
            defer { condition.signal() }
            guard !closed, !broken, !connection.isClosed else {
                count -= 1
                return false
            }
            idle.append(connection)
            return true
        }
        if !keep { Self.closeInBackground(connection) }
    }

    /// Closes `connection` without waiting, keeping it alive until its channel has closed (postgres-nio requires a
    /// connection to be closed before it is released).
    private static func closeInBackground(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    private func connect() throws -> PostgresConnection {
        let id = condition.withLock {
            nextID += 1
            return nextID
        }
        do {
            return try PostgresConnection.connect(on: eventLoops.next(), configuration: url.configuration, id: id, logger: logger)
                .waitOffEventLoop()
        } catch {
            throw PostgresDatabaseError.unreachable(url, reason: PostgresDatabaseError.reason(error))
        }
    }
}
