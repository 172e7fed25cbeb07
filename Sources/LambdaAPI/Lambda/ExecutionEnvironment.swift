import Foundation
import Hummingbird
import Logging
import Synchronization

/// One invocation as the Runtime API hands it to a runtime (`GET /next`).
struct RuntimeInvocation: Sendable {
    let requestID: String
    let payload: [UInt8]
    /// The function's Timeout.
    let timeout: Duration
    /// Epoch milliseconds (`Lambda-Runtime-Deadline-Ms`): the Timeout from when the runtime gets the invocation.
    var deadline: Int64 = 0
    let functionARN: String
    /// The caller's `X-Amz-Client-Context`, base64-decoded.
    let clientContext: String?

    /// This invocation with its deadline set from now, unless it already has one.
    func assigned() -> RuntimeInvocation {
        var copy = self
        if copy.deadline == 0 {
            copy.deadline = Int64(Date().timeIntervalSince1970 * 1000) + Int64(timeout.totalMilliseconds)
        }
        return copy
    }
}

/// How an invocation ended, as the execution environment saw it.
enum InvocationOutcome: Sendable {
    /// The runtime POSTed `/response` with this body.
    case response([UInt8])
    /// The runtime POSTed `/error` or `/init/error` with this body.
    case functionError([UInt8])
    case timedOut
    /// A fresh runtime did not ask for work (`GET /next`) within the init phase limit.
    case initTimedOut
    /// The process tree's memory went over the function's `MemorySize`.
    case outOfMemory
    /// The runtime process ended mid-invocation (its wait status, e.g. `exit status 1`).
    case exited(String)
    case responseTooLarge
}

/// The limits one invocation runs under.
struct InvocationLimits: Sendable {
    /// The function's Timeout, from the hand-off to an initialized runtime; from the start of the run when
    /// `initPhase` is nil and the runtime is still initializing (Lambda retrying init inside the invoke).
    var timeout: Duration
    /// How long a fresh runtime may take to reach its first `GET /next` (Lambda: 10 s); nil for none.
    var initPhase: Duration?
    /// `MemorySize` in bytes: a process tree resident above it, or a process that peaked above it, is killed.
    var memory: Int
}

/// What one invocation in an environment produced, besides its outcome.
struct EnvironmentRun: Sendable {
    var outcome: InvocationOutcome
    /// Lines the runtime wrote before this invocation (its init output, or stray output between invocations).
    var before: [FunctionLogLine]
    /// Lines it wrote during this invocation.
    var log: [FunctionLogLine]
    /// The environment's memory high-water mark so far, in bytes.
    var peakMemory: Int
    /// How long the invocation ran: from when the runtime got it (or the run started, if it never did) to its end.
    var duration: Duration
    /// How long the runtime took to initialize, on the environment's first invocation.
    var initDuration: Duration?
}

/// A warm execution environment: a runtime process speaking the Lambda Runtime API to its own loopback listener
/// (spec §6.2–6.3). One invocation at a time; the runtime's output while one runs is that invocation's log.
/// While an invocation runs, a supervisor enforces the init phase limit, the timeout and the memory limit.
/// Dead once its process exits, it fails init, or an invocation breaks a limit (the process group is killed).
final class ExecutionEnvironment: Sendable {
    let id: String
    /// `home/` and `tmp/` of the process; removed when the environment dies.
    let directory: URL
    /// Its CloudWatch Logs stream (`AWS_LAMBDA_LOG_STREAM_NAME`).
    let logStream: String
    private let startedAt = ContinuousClock.now

    private struct State {
        var process: SessionProcess?
        var listener: Task<Void, any Error>?
        /// The runtime's `GET /next`, waiting for work.
        var nextWaiter: CheckedContinuation<RuntimeInvocation, any Error>?
        /// Work assigned before the runtime asked for it.
        var pending: RuntimeInvocation?
        var current: (id: String, done: CheckedContinuation<InvocationOutcome, Never>)?
        /// When the runtime got the current invocation.
        var assignedAt: ContinuousClock.Instant?
        var dead = false
        /// When the runtime first asked for work (the end of its init phase).
        var initializedAt: ContinuousClock.Instant?
        var initReported = false
        /// How many lines of `log` the runtime wrote before its first `GET /next`, when that came during an
        /// invocation: its init output, which belongs before START.
        var initLines: Int?
        /// What the runtime POSTed to `/init/error`, for an invocation that arrives after it.
        var initError: [UInt8]?
        /// How the process ended (`exit status 1`), for an invocation that arrives after it.
        var exitStatus: String?
        var peakMemory = 0
        var partialLine: [UInt8] = []
        var log: [FunctionLogLine] = []
    }
    private let state = Mutex(State())

    /// How often the supervisor samples the clock and the process tree's memory.
    private static let supervisionInterval = Duration.milliseconds(50)

    private init(directory: URL) {
        id = UUID().uuidString.lowercased()
        self.directory = directory
        logStream = FunctionLogs.stream(environmentID: id, date: Date())
    }

    /// Starts the listener, then the runtime process with `environment` plus `AWS_LAMBDA_RUNTIME_API`,
    /// `AWS_LAMBDA_LOG_STREAM_NAME`, `HOME` and `TMPDIR`. The Runtime API's listener logs through `logger`, critical
    /// messages only (its every request is the function's business, logged to CloudWatch Logs).
    static func start(
        command: [String], environment: [String: String], codeDirectory: String, directory: URL, sandbox: LambdaSandbox, root: URL,
        logger: Logger
    ) async throws -> ExecutionEnvironment {
        for sub in ["home", "tmp"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        LambdaSandbox.openForReading(directory, under: root)
        sandbox.handOver(directory)
        let environmentBox = ExecutionEnvironment(directory: directory)
        var quiet = logger
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
        variables["AWS_LAMBDA_LOG_STREAM_NAME"] = environmentBox.logStream
        variables["HOME"] = directory.appendingPathComponent("home").path
        variables["TMPDIR"] = directory.appendingPathComponent("tmp").path
        do {
            let process = try SessionProcess.spawn(command: command, environment: variables, directory: codeDirectory)
            environmentBox.state.withLock { $0.process = process }
            process.start(onOutput: environmentBox.append, onExit: environmentBox.processExited)
        } catch {
            environmentBox.terminate()
            throw error
        }
        return environmentBox
    }

    var isAlive: Bool { state.withLock { !$0.dead } }

    /// Runs one invocation to its end under `limits`.
    func run(_ invocation: RuntimeInvocation, limits: InvocationLimits) async -> EnvironmentRun {
        let started = ContinuousClock.now
        // Without a separate init phase the timeout runs from now, init included.
        let invocation = limits.initPhase == nil ? invocation.assigned() : invocation
        let supervisor = Task { await self.supervise(invocation.requestID, started: started, limits: limits) }
        var before = state.withLock { state in
            defer {
                state.log = []
                state.initLines = nil
            }
            return state.log
        }
        var outcome = await withCheckedContinuation { (done: CheckedContinuation<InvocationOutcome, Never>) in
            enum Assignment { case handOff(CheckedContinuation<RuntimeInvocation, any Error>), queued, dead(InvocationOutcome) }
            let assignment: Assignment = state.withLock { state in
                if state.dead {
                    if let body = state.initError { return .dead(.functionError(body)) }
                    return .dead(.exited(state.exitStatus ?? "the runtime was not running"))
                }
                state.current = (invocation.requestID, done)
                state.assignedAt = nil
                if let waiter = state.nextWaiter {
                    state.nextWaiter = nil
                    state.assignedAt = .now
                    return .handOff(waiter)
                }
                state.pending = invocation
                return .queued
            }
            switch assignment {
            case .handOff(let waiter): waiter.resume(returning: invocation.assigned())
            case .queued: break
            case .dead(let outcome): done.resume(returning: outcome)
            }
        }
        supervisor.cancel()
        let peak = sampleMemory()
        switch outcome {
        case .response, .functionError, .responseTooLarge:
            if peak.single > limits.memory { outcome = .outOfMemory }
        default: break
        }
        switch outcome {
        case .timedOut, .initTimedOut, .outOfMemory: terminate()
        default: break
        }
        state.withLock { $0.process }?.drain(into: append)
        return state.withLock { state in
            if !state.partialLine.isEmpty { state.log.append(FunctionLogLine(time: Date(), text: String(decoding: state.partialLine, as: UTF8.self))) }
            state.partialLine = []
            var initDuration: Duration?
            if let initializedAt = state.initializedAt, !state.initReported {
                state.initReported = true
                initDuration = initializedAt - startedAt
            }
            if let count = state.initLines {
                before += state.log.prefix(count)
                state.log.removeFirst(min(count, state.log.count))
                state.initLines = nil
            }
            defer { state.log = [] }
            return EnvironmentRun(
                outcome: outcome, before: before, log: state.log, peakMemory: state.peakMemory, duration: .now - (state.assignedAt ?? started),
                initDuration: initDuration)
        }
    }

    /// Ends invocation `requestID` when a limit is broken: no `GET /next` within the init phase, the timeout, or
    /// the process tree resident above the memory limit. Runs until cancelled or it ends the invocation.
    private func supervise(_ requestID: String, started: ContinuousClock.Instant, limits: InvocationLimits) async {
        while (try? await Task.sleep(for: Self.supervisionInterval)) != nil {
            let now = ContinuousClock.now
            let initializedAt = state.withLock { $0.initializedAt }
            let broken: InvocationOutcome?
            if sampleMemory().resident > limits.memory {
                broken = .outOfMemory
            } else if let initPhase = limits.initPhase, initializedAt == nil {
                broken = now >= started + initPhase ? .initTimedOut : nil
            } else {
                let from = limits.initPhase == nil ? started : max(started, initializedAt ?? started)
                broken = now >= from + limits.timeout ? .timedOut : nil
            }
            if let broken {
                finish(requestID, broken)
                return
            }
        }
    }

    /// The process tree's memory now, folded into the environment's high-water mark.
    /// - Returns: the tree's resident bytes and the largest peak of one of its processes.
    private func sampleMemory() -> (resident: Int, single: Int) {
        guard let pid = state.withLock({ $0.process?.pid }) else { return (0, 0) }
        let memory = ProcessTreeMemory.sample(root: pid)
        state.withLock { $0.peakMemory = max($0.peakMemory, memory.resident, memory.peak) }
        return (memory.resident, memory.peak)
    }

    // MARK: Runtime API side

    /// `GET /next`: waits for work (the first call ends the init phase). - Throws: `CancellationError` once the
    /// environment is dead.
    func next() async throws -> RuntimeInvocation {
        if state.withLock({ $0.initializedAt == nil }) { state.withLock { $0.process }?.drain(into: append) }
        return try await withCheckedThrowingContinuation { waiter in
            let ready: Result<RuntimeInvocation, any Error>? = state.withLock { state in
                if state.initializedAt == nil {
                    state.initializedAt = .now
                    state.initLines = state.log.count
                }
                if let pending = state.pending {
                    state.pending = nil
                    state.assignedAt = .now
                    return .success(pending.assigned())
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

    /// `/init/error`: the waiting invocation (or the next one, if it has not arrived yet) gets the error, and the
    /// environment is discarded.
    func initFailed(_ body: [UInt8]) {
        let current = state.withLock { state in
            state.initError = body
            return state.current?.id
        }
        if let current { finish(current, .functionError(body)) }
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
        let current = state.withLock { state in
            state.exitStatus = status
            return state.current?.id
        }
        if let current { finish(current, .exited(status)) }
        terminate()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Output of the runtime: whole lines join the log (at most the last 1000 are kept).
    private func append(_ bytes: [UInt8]) {
        let now = Date()
        state.withLock { state in
            state.partialLine += bytes
            while let newline = state.partialLine.firstIndex(of: 0x0A) {
                state.log.append(FunctionLogLine(time: now, text: String(decoding: state.partialLine[..<newline], as: UTF8.self)))
                state.partialLine.removeSubrange(...newline)
            }
            if state.log.count > 1000 { state.log.removeFirst(state.log.count - 1000) }
        }
    }
}
