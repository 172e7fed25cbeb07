import Foundation
import Hummingbird
import Logging
import Synchronization

/// One invocation as the Runtime API hands it to a runtime (`GET /next`).
struct RuntimeInvocation: Sendable {
    let requestID: String
    let payload: [UInt8]
    /// Epoch milliseconds (`Lambda-Runtime-Deadline-Ms`).
    let deadline: Int64
    let functionARN: String
    /// The caller's `X-Amz-Client-Context`, base64-decoded.
    let clientContext: String?
}

/// How an invocation ended, as the execution environment saw it.
enum InvocationOutcome: Sendable {
    /// The runtime POSTed `/response` with this body.
    case response([UInt8])
    /// The runtime POSTed `/error` or `/init/error` with this body.
    case functionError([UInt8])
    case timedOut
    /// The runtime process ended mid-invocation (its wait status, e.g. `exit status 1`).
    case exited(String)
    case responseTooLarge
}

/// A warm execution environment: a runtime process speaking the Lambda Runtime API to its own loopback listener
/// (spec §6.2–6.3). One invocation at a time; the runtime's output while one runs is that invocation's log.
/// Dead once its process exits, it fails init, or an invocation times out (the process group is killed).
final class ExecutionEnvironment: Sendable {
    let id = UUID().uuidString.lowercased()
    /// `home/` and `tmp/` of the process; removed when the environment dies.
    let directory: URL

    private struct State {
        var process: SessionProcess?
        var listener: Task<Void, any Error>?
        /// The runtime's `GET /next`, waiting for work.
        var nextWaiter: CheckedContinuation<RuntimeInvocation, any Error>?
        /// Work assigned before the runtime asked for it.
        var pending: RuntimeInvocation?
        var current: (id: String, done: CheckedContinuation<InvocationOutcome, Never>)?
        var dead = false
        var initialized = false
        var partialLine: [UInt8] = []
        var log: [String] = []
    }
    private let state = Mutex(State())

    private init(directory: URL) {
        self.directory = directory
    }

    /// Starts the listener, then the runtime process with `environment` plus `AWS_LAMBDA_RUNTIME_API`, `HOME`
    /// and `TMPDIR`.
    static func start(
        command: [String], environment: [String: String], codeDirectory: String, directory: URL
    ) async throws -> ExecutionEnvironment {
        for sub in ["home", "tmp"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let environmentBox = ExecutionEnvironment(directory: directory)
        var quiet = Logger(label: "apiary.lambda.runtime-api")
        quiet.logLevel = .critical
        let port: Int = await withCheckedContinuation { bound in
            let app = Application(
                responder: RuntimeAPIResponder(environment: environmentBox),
                configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                onServerRunning: { channel in bound.resume(returning: channel.localAddress?.port ?? 0) },
                logger: quiet)
            environmentBox.state.withLock { $0.listener = Task { try await app.run() } }
        }
        var variables = environment
        variables["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:\(port)"
        variables["HOME"] = directory.appendingPathComponent("home").path
        variables["TMPDIR"] = directory.appendingPathComponent("tmp").path
        do {
            let process = try SessionProcess(command: command, environment: variables, directory: codeDirectory)
            environmentBox.state.withLock { $0.process = process }
            process.start(onOutput: environmentBox.append, onExit: environmentBox.processExited)
        } catch {
            environmentBox.terminate()
            throw error
        }
        return environmentBox
    }

    var isAlive: Bool { state.withLock { !$0.dead } }

    /// Runs one invocation to its end. - Returns: the outcome and the log lines the runtime wrote meanwhile.
    func run(_ invocation: RuntimeInvocation, timeout: Duration) async -> (outcome: InvocationOutcome, log: [String]) {
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.finish(invocation.requestID, .timedOut)
        }
        let outcome = await withCheckedContinuation { (done: CheckedContinuation<InvocationOutcome, Never>) in
            enum Assignment { case handOff(CheckedContinuation<RuntimeInvocation, any Error>), queued, dead }
            let assignment: Assignment = state.withLock { state in
                if state.dead { return .dead }
                state.log = []
                state.current = (invocation.requestID, done)
                if let waiter = state.nextWaiter {
                    state.nextWaiter = nil
                    return .handOff(waiter)
                }
                state.pending = invocation
                return .queued
            }
            switch assignment {
            case .handOff(let waiter): waiter.resume(returning: invocation)
            case .queued: break
            case .dead: done.resume(returning: .exited("the runtime was not running"))
            }
        }
        timer.cancel()
        if case .timedOut = outcome { terminate() }
        state.withLock { $0.process }?.drain(into: append)
        return (outcome, state.withLock { state in
            if !state.partialLine.isEmpty { state.log.append(String(decoding: state.partialLine, as: UTF8.self)) }
            state.partialLine = []
            return state.log
        })
    }

    // MARK: Runtime API side

    /// `GET /next`: waits for work. - Throws: `CancellationError` once the environment is dead.
    func next() async throws -> RuntimeInvocation {
        try await withCheckedThrowingContinuation { waiter in
            let ready: Result<RuntimeInvocation, any Error>? = state.withLock { state in
                state.initialized = true
                if let pending = state.pending {
                    state.pending = nil
                    return .success(pending)
                }
                if state.dead { return .failure(CancellationError()) }
                state.nextWaiter = waiter
                return nil
            }
            if let ready { waiter.resume(with: ready) }
        }
    }

    /// `/response` or `/error` of invocation `requestID`. - Returns: false when that is not the current one.
    @discardableResult
    func finish(_ requestID: String, _ outcome: InvocationOutcome) -> Bool {
        let done: CheckedContinuation<InvocationOutcome, Never>? = state.withLock { state in
            guard let current = state.current, current.id == requestID else { return nil }
            state.current = nil
            return current.done
        }
        done?.resume(returning: outcome)
        return done != nil
    }

    /// `/init/error`: the waiting invocation gets the error, and the environment is discarded.
    func initFailed(_ body: [UInt8]) {
        if let current = state.withLock({ $0.current?.id }) { finish(current, .functionError(body)) }
        terminate()
    }

    // MARK: Lifecycle

    /// Kills the process group and stops the listener (idempotent). The listener stops a moment later: cancelling
    /// it while it still writes an answer to the dead runtime trips a NIO precondition.
    func terminate() {
        let (process, listener, waiter) = state.withLock { state in
            state.dead = true
            defer {
                state.nextWaiter = nil
                state.listener = nil
            }
            return (state.process, state.listener, state.nextWaiter)
        }
        process?.killGroup()
        waiter?.resume(throwing: CancellationError())
        if let listener {
            Task {
                try? await Task.sleep(for: .seconds(2))
                listener.cancel()
            }
        }
    }

    private func processExited(_ status: String) {
        if let current = state.withLock({ $0.current?.id }) { finish(current, .exited(status)) }
        terminate()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Output of the runtime: whole lines join the log (at most the last 1000 are kept).
    private func append(_ bytes: [UInt8]) {
        state.withLock { state in
            state.partialLine += bytes
            while let newline = state.partialLine.firstIndex(of: 0x0A) {
                state.log.append(String(decoding: state.partialLine[..<newline], as: UTF8.self))
                state.partialLine.removeSubrange(...newline)
            }
            if state.log.count > 1000 { state.log.removeFirst(state.log.count - 1000) }
        }
    }
}
