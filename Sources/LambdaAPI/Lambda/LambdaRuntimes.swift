import AWSProtocol
import ControlPlane
import Foundation
import Logging
import Synchronization

/// What one Invoke produced: the payload to answer with, whether it is a function error
/// (`X-Amz-Function-Error: Unhandled`), and the invocation's log (START … REPORT).
struct LambdaInvocationResult: Sendable {
    var payload: [UInt8]
    var functionError: Bool
    var log: String
}

/// The warm execution environments of every function, at most `maximumEnvironments` per function revision
/// (more concurrent invokes wait for one to free up). Environments of an old revision are discarded, idle ones
/// are stopped after `idleLimit`; all of them are killed on `shutdown()`. Every invocation's log also goes to
/// CloudWatch Logs (`FunctionLogs`).
package final class LambdaRuntimes: Sendable {
    let code: LambdaCodeStore
    let maximumEnvironments: Int
    /// How long a warm environment may sit idle before it is stopped.
    let idleLimit: Duration
    /// How long a fresh runtime may take to reach its first `GET /next` (Lambda: 10 s).
    let initPhase: Duration
    private let environmentsRoot: URL
    private let runtimeDirectory: URL
    /// Who functions run as (`nobody` under a root daemon).
    private let sandbox: LambdaSandbox
    /// Where environments and the runtime client live: `root`, or the sandbox's own directory outside the home.
    private let workRoot: URL
    private let logs: FunctionLogs
    private let logger: Logger
    /// The daemon's port, known once it listens (`AWS_ENDPOINT_URL` of the functions).
    private let daemonPort = Mutex(0)
    private let pools = Mutex([String: FunctionPool]())
    /// Runtime → command prefix, probed once per runtime.
    private let commands = Mutex([String: [String]]())

    /// Where a daemon on `home` keeps its functions (`<home>/lambda`): the `root` it makes its runtimes with.
    package static func root(home: URL) -> URL { home.appendingPathComponent("lambda", isDirectory: true) }

    package init(
        root: URL, store: ControlPlaneStore, maximumEnvironments: Int = 4, idleLimit: Duration = .seconds(300),
        initPhase: Duration = .seconds(10), logger: Logger
    ) {
        code = LambdaCodeStore(root: root.appendingPathComponent("code"))
        sandbox = LambdaSandbox.forCurrentProcess()
        workRoot = sandbox.workRoot(for: root)
        environmentsRoot = workRoot.appendingPathComponent("environments")
        runtimeDirectory = workRoot.appendingPathComponent("runtime")
        self.maximumEnvironments = maximumEnvironments
        self.idleLimit = idleLimit
        self.initPhase = initPhase
        logs = FunctionLogs(store: store, logger: logger)
        self.logger = logger
        if geteuid() == 0 && sandbox.user == nil {
            logger.warning("Lambda functions run as root: no \(LambdaSandbox.setpriv) or user \(LambdaSandbox.userName) to drop to (apt install util-linux)")
        }
        try? FileManager.default.removeItem(at: environmentsRoot)
    }

    /// Stops the environments idle for `idleLimit` or longer (`LambdaReaper` calls it).
    package func reapIdle() {
        pools.withLock { Array($0.values) }.forEach { $0.reap(idleFor: idleLimit) }
    }

    package func setDaemonPort(_ port: Int) { daemonPort.withLock { $0 = port } }

    /// Runs `payload` through `function` synchronously. A fresh environment that does not finish init within
    /// `initPhase` is replaced once, the new one initializing within the function's timeout (as Lambda retries
    /// init inside the invoke).
    func invoke(_ function: LambdaFunction, payload: [UInt8], clientContext: String?) async -> LambdaInvocationResult {
        let requestID = UUID().uuidString.lowercased()
        let pool = pools.withLock { pools in
            if let pool = pools[function.name], pool.revisionID == function.revisionID { return pool }
            pools[function.name]?.discard()
            let pool = FunctionPool(revisionID: function.revisionID, limit: maximumEnvironments)
            pools[function.name] = pool
            return pool
        }
        let started = ContinuousClock.now
        let invocation = RuntimeInvocation(
            requestID: requestID, payload: payload, timeout: .seconds(function.timeout), functionARN: function.arn, clientContext: clientContext)
        var retried = false
        while true {
            let environment: ExecutionEnvironment
            let fresh: Bool
            do {
                (environment, fresh) = try await pool.acquire { try await self.start(function) }
            } catch {
                logger.error("could not start a Lambda execution environment", metadata: ["function": "\(function.name)", "error": "\(error)"])
                let body: JSONValue = ["errorType": "Runtime.Unknown", "errorMessage": .string("RequestId: \(requestID) Error: \(error)")]
                return LambdaInvocationResult(payload: body.renderedBytes, functionError: true, log: "")
            }
            let limits = InvocationLimits(
                timeout: .seconds(function.timeout), initPhase: fresh && !retried ? initPhase : nil, memory: function.memorySize * 1_048_576)
            let run = await environment.run(invocation, limits: limits)
            pool.release(environment)
            if case .initTimedOut = run.outcome, !retried {
                let line = String(format: "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: timeout", (ContinuousClock.now - started).totalMilliseconds)
                logs.append(function: function.name, stream: environment.logStream, run.before + run.log + [FunctionLogLine(time: Date(), text: line)])
                retried = true
                continue
            }
            return finish(function, requestID, run, elapsed: ContinuousClock.now - started, stream: environment.logStream)
        }
    }

    /// The invocation's answer and its log (START … END, REPORT), which also goes to the environment's stream.
    private func finish(_ function: LambdaFunction, _ requestID: String, _ run: EnvironmentRun, elapsed: Duration, stream: String)
        -> LambdaInvocationResult
    {
        let start = FunctionLogLine(time: Date(timeIntervalSinceNow: -elapsed.totalMilliseconds / 1000), text: "START RequestId: \(requestID) Version: $LATEST")
        var lines = [start] + run.log
        let note = { (text: String) in lines.append(FunctionLogLine(time: Date(), text: text)) }
        let result: LambdaInvocationResult
        switch run.outcome {
        case .response(let body):
            result = LambdaInvocationResult(payload: body, functionError: false, log: "")
        case .functionError(let body):
            result = LambdaInvocationResult(payload: body, functionError: true, log: "")
        case .timedOut, .initTimedOut:
            let seconds = String(format: "%.2f", Double(function.timeout))
            note("\(ISO8601DateFormatter().string(from: Date())) \(requestID) Task timed out after \(seconds) seconds")
            let body: JSONValue = [
                "errorType": "Sandbox.Timedout", "errorMessage": .string("RequestId: \(requestID) Error: Task timed out after \(seconds) seconds"),
            ]
            result = LambdaInvocationResult(payload: body.renderedBytes, functionError: true, log: "")
        case .exited(let status):
            result = runtimeExited(requestID, status: status, errorType: "Runtime.ExitError", note: note)
        case .outOfMemory:
            result = runtimeExited(requestID, status: "signal: killed", errorType: "Runtime.OutOfMemory", note: note)
        case .responseTooLarge:
            let body: JSONValue = [
                "errorType": "Function.ResponseSizeTooLarge",
                "errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
            ]
            result = LambdaInvocationResult(payload: body.renderedBytes, functionError: true, log: "")
        }
        note("END RequestId: \(requestID)")
        let duration = run.duration.totalMilliseconds
        let usedMegabytes: Int
        if case .outOfMemory = run.outcome {
            usedMegabytes = function.memorySize
        } else {
            usedMegabytes = max(1, (run.peakMemory + 1_048_575) / 1_048_576)
        }
        var report = [
            "REPORT RequestId: \(requestID)", String(format: "Duration: %.2f ms", duration), "Billed Duration: \(Int(duration.rounded(.up))) ms",
            "Memory Size: \(function.memorySize) MB", "Max Memory Used: \(usedMegabytes) MB",
        ]
        if let initDuration = run.initDuration { report.append(String(format: "Init Duration: %.2f ms", initDuration.totalMilliseconds)) }
        note(report.joined(separator: "\t"))
        logs.append(function: function.name, stream: stream, run.before + lines)
        var answer = result
        answer.log = lines.map(\.text).joined(separator: "\n") + "\n"
        return answer
    }

    /// Lambda's answer when the runtime process is gone mid-invocation, and its two log lines.
    private func runtimeExited(_ requestID: String, status: String, errorType: String, note: (String) -> Void) -> LambdaInvocationResult {
        let message = "RequestId: \(requestID) Error: Runtime exited with error: \(status)"
        note(message)
        note(errorType)
        let body: JSONValue = ["errorType": .string(errorType), "errorMessage": .string(message)]
        return LambdaInvocationResult(payload: body.renderedBytes, functionError: true, log: "")
    }

    /// Stops and forgets the environments of `name` (its code or configuration changed, or it was deleted).
    func discard(_ name: String) {
        pools.withLock { $0.removeValue(forKey: name) }?.discard()
    }

    /// Kills every runtime process (daemon shutdown, test-hook reset).
    package func shutdown() {
        let all = pools.withLock { pools in
            defer { pools.removeAll() }
            return Array(pools.values)
        }
        all.forEach { $0.discard() }
    }

    /// Kills every runtime process and removes the sandbox's work directory (daemon shutdown).
    package func close() {
        shutdown()
        if workRoot != code.root.deletingLastPathComponent() { try? FileManager.default.removeItem(at: workRoot) }
    }

    private func start(_ function: LambdaFunction) async throws -> ExecutionEnvironment {
        let port = daemonPort.withLock { $0 }
        let region = function.region
        let directory = environmentsRoot.appendingPathComponent(UUID().uuidString.lowercased())
        let taskRoot = try sandbox.taskRoot(copying: code.taskRoot(function.codeKey), into: directory, under: workRoot)
        var environment: [String: String] = [
            "PATH": sandbox.path,
            "_HANDLER": function.handler, "LAMBDA_TASK_ROOT": taskRoot, "LAMBDA_RUNTIME_DIR": runtimeDirectory.path,
            "AWS_LAMBDA_FUNCTION_NAME": function.name, "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": String(function.memorySize), "AWS_LAMBDA_LOG_GROUP_NAME": FunctionLogs.group(function.name),
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand", "AWS_REGION": region, "AWS_DEFAULT_REGION": region,
            "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_SESSION_TOKEN": "test",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:\(port)", "AWS_EXECUTION_ENV": "AWS_Lambda_\(function.runtime)",
            "TZ": ":UTC", "LANG": "en_US.UTF-8", "PYTHONPATH": ([taskRoot] + sandbox.runtimeLibraries).joined(separator: ":"), "PYTHONUNBUFFERED": "1",
        ]
        environment.merge(function.variables) { _, user in user }
        return try await ExecutionEnvironment.start(
            command: sandbox.commandPrefix + (try command(for: function, taskRoot: taskRoot)), environment: environment, codeDirectory: taskRoot,
            directory: directory, sandbox: sandbox, root: workRoot, logger: logger)
    }

    /// `python3.x`: `<python> -m awslambdaric <handler>` when that interpreter has awslambdaric, else
    /// `<python> <Apiary's runtime client>`; `provided*`: the package's `bootstrap`.
    private func command(for function: LambdaFunction, taskRoot: String) throws -> [String] {
        if function.runtime.hasPrefix("provided") {
            let bootstrap = taskRoot + "/bootstrap"
            guard FileManager.default.fileExists(atPath: bootstrap) else {
                throw SessionProcessError("Couldn't find valid bootstrap(s): [\(bootstrap)]")
            }
            chmod(bootstrap, 0o755)
            return [bootstrap]
        }
        let prefix = try commands.withLock { commands in
            if let known = commands[function.runtime] { return known }
            // The interpreter's real path: pyenv-style shims would look for their root under the function's HOME.
            let executable = "import sys; print(sys.executable)"
            let wanted = sandbox.output([function.runtime, "-c", "import boto3; " + executable])
            if wanted == nil {
                logger.warning("\(function.runtime) with boto3 is not on PATH; running \(function.runtime) functions with python3")
            }
            guard let python = wanted ?? sandbox.output(["python3", "-c", executable]) else {
                throw SessionProcessError("no python3 interpreter on PATH for \(function.runtime)")
            }
            let prefix: [String]
            if sandbox.output([python, "-c", "import awslambdaric"]) != nil {
                prefix = [python, "-m", "awslambdaric"]
            } else {
                try FileManager.default.createDirectory(at: runtimeDirectory, withIntermediateDirectories: true)
                let client = runtimeDirectory.appendingPathComponent(PythonRuntimeClient.fileName)
                try PythonRuntimeClient.source.write(to: client, atomically: true, encoding: .utf8)
                LambdaSandbox.openForReading(runtimeDirectory, under: workRoot)
                prefix = [python, client.path]
            }
            commands[function.runtime] = prefix
            return prefix
        }
        return prefix + [function.handler]
    }
}

/// The environments of one function revision: idle ones are reused (the most recently used first), new ones
/// start while fewer than `limit` exist, otherwise callers queue; `reap` stops those idle for too long.
final class FunctionPool: Sendable {
    let revisionID: String
    private let limit: Int
    private struct State {
        /// Idle environments and since when, oldest first.
        var idle: [(environment: ExecutionEnvironment, since: ContinuousClock.Instant)] = []
        var all: [ExecutionEnvironment] = []
        var starting = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var discarded = false
    }
    private let state = Mutex(State())

    init(revisionID: String, limit: Int) {
        self.revisionID = revisionID
        self.limit = limit
    }

    /// An idle environment, or a newly started one (`fresh`), waiting while `limit` are busy.
    func acquire(start: () async throws -> ExecutionEnvironment) async throws -> (environment: ExecutionEnvironment, fresh: Bool) {
        while true {
            enum Step { case use(ExecutionEnvironment), start, wait }
            let step: Step = state.withLock { state in
                while let environment = state.idle.popLast()?.environment {
                    if environment.isAlive { return .use(environment) }
                    state.all.removeAll { $0 === environment }
                }
                if state.all.count + state.starting < limit {
                    state.starting += 1
                    return .start
                }
                return .wait
            }
            switch step {
            case .use(let environment): return (environment, false)
            case .start:
                do {
                    let environment = try await start()
                    let discarded = state.withLock { state in
                        state.starting -= 1
                        state.all.append(environment)
                        return state.discarded
                    }
                    if discarded { environment.terminate() }
                    return (environment, true)
                } catch {
                    wakeOne { $0.starting -= 1 }
                    throw error
                }
            case .wait:
                await withCheckedContinuation { waiter in
                    let ready = state.withLock { state in
                        if !state.idle.isEmpty || state.all.count + state.starting < limit { return true }
                        state.waiters.append(waiter)
                        return false
                    }
                    if ready { waiter.resume() }
                }
            }
        }
    }

    /// Returns an environment after an invocation: idle again while alive, else dropped.
    func release(_ environment: ExecutionEnvironment) {
        let kept = environment.isAlive && !state.withLock { $0.discarded }
        wakeOne { state in
            if kept {
                state.idle.append((environment, .now))
            } else {
                state.all.removeAll { $0 === environment }
            }
        }
        if !kept { environment.terminate() }
    }

    /// Stops the environments idle for `limit` or longer; the next invoke starts a fresh one.
    func reap(idleFor limit: Duration) {
        let cutoff = ContinuousClock.now - limit
        let stale = state.withLock { state in
            let stale = state.idle.prefix { $0.since <= cutoff }.map(\.environment)
            state.idle.removeFirst(stale.count)
            state.all.removeAll { environment in stale.contains { $0 === environment } }
            return stale
        }
        stale.forEach { $0.terminate() }
    }

    /// Kills every environment; environments in use die when their invocation returns them.
    func discard() {
        let environments = state.withLock { state in
            state.discarded = true
            state.idle = []
            return state.all
        }
        environments.forEach { $0.terminate() }
    }

    private func wakeOne(_ change: (inout State) -> Void) {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            change(&state)
            return state.waiters.isEmpty ? nil : state.waiters.removeFirst()
        }
        waiter?.resume()
    }
}
