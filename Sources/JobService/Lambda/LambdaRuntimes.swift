import AWSProtocol
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
/// (more concurrent invokes wait for one to free up). Environments of an old revision are discarded; all of
/// them are killed on `shutdown()`.
final class LambdaRuntimes: Sendable {
    let code: LambdaCodeStore
    let maximumEnvironments: Int
    private let environmentsRoot: URL
    private let runtimeDirectory: URL
    private let logger: Logger
    /// The daemon's port, known once it listens (`AWS_ENDPOINT_URL` of the functions).
    private let daemonPort = Mutex(0)
    private let pools = Mutex([String: FunctionPool]())
    /// Runtime → command prefix, probed once per runtime.
    private let commands = Mutex([String: [String]]())

    init(root: URL, maximumEnvironments: Int = 4, logger: Logger) {
        code = LambdaCodeStore(root: root.appendingPathComponent("code"))
        environmentsRoot = root.appendingPathComponent("environments")
        runtimeDirectory = root.appendingPathComponent("runtime")
        self.maximumEnvironments = maximumEnvironments
        self.logger = logger
        try? FileManager.default.removeItem(at: environmentsRoot)
    }

    func setDaemonPort(_ port: Int) { daemonPort.withLock { $0 = port } }

    /// Runs `payload` through `function` synchronously.
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
        let environment: ExecutionEnvironment
        let fresh: Bool
        do {
            (environment, fresh) = try await pool.acquire { try await self.start(function) }
        } catch {
            logger.error("could not start a Lambda execution environment", metadata: ["function": "\(function.name)", "error": "\(error)"])
            let body: JSONValue = ["errorType": "Runtime.Unknown", "errorMessage": .string("RequestId: \(requestID) Error: \(error)")]
            return LambdaInvocationResult(payload: body.renderedBytes, functionError: true, log: "")
        }
        let deadline = Int64((Date().timeIntervalSince1970 + Double(function.timeout)) * 1000)
        let invocation = RuntimeInvocation(
            requestID: requestID, payload: payload, deadline: deadline, functionARN: function.arn, clientContext: clientContext)
        // A fresh environment also gets the 10 s init phase AWS allows.
        let (outcome, lines) = await environment.run(invocation, timeout: .seconds(function.timeout + (fresh ? 10 : 0)))
        pool.release(environment)
        let elapsed = ContinuousClock.now - started
        let duration = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15

        var log = ["START RequestId: \(requestID) Version: $LATEST"] + lines
        let result: LambdaInvocationResult
        switch outcome {
        case .response(let body):
            result = LambdaInvocationResult(payload: body, functionError: false, log: "")
        case .functionError(let body):
            result = LambdaInvocationResult(payload: body, functionError: true, log: "")
        case .timedOut:
            let seconds = String(format: "%.2f", Double(function.timeout))
            log.append("\(ISO8601DateFormatter().string(from: Date())) \(requestID) Task timed out after \(seconds) seconds")
            let body: JSONValue = [
                "errorType": "Sandbox.Timedout", "errorMessage": .string("RequestId: \(requestID) Error: Task timed out after \(seconds) seconds"),
            ]
            result = LambdaInvocationResult(payload: body.renderedBytes, functionError: true, log: "")
        case .exited(let status):
            let body: JSONValue = [
                "errorType": "Runtime.ExitError", "errorMessage": .string("RequestId: \(requestID) Error: Runtime exited with error: \(status)"),
            ]
            result = LambdaInvocationResult(payload: body.renderedBytes, functionError: true, log: "")
        case .responseTooLarge:
            let body: JSONValue = [
                "errorType": "Function.ResponseSizeTooLarge",
                "errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
            ]
            result = LambdaInvocationResult(payload: body.renderedBytes, functionError: true, log: "")
        }
        log.append("END RequestId: \(requestID)")
        let report = [
            "REPORT RequestId: \(requestID)", String(format: "Duration: %.2f ms", duration), "Billed Duration: \(Int(duration.rounded(.up))) ms",
            "Memory Size: \(function.memorySize) MB", "Max Memory Used: \(function.memorySize) MB",
        ]
        log.append(report.joined(separator: "\t"))
        var answer = result
        answer.log = log.joined(separator: "\n") + "\n"
        return answer
    }

    /// Stops and forgets the environments of `name` (its code or configuration changed, or it was deleted).
    func discard(_ name: String) {
        pools.withLock { $0.removeValue(forKey: name) }?.discard()
    }

    /// Kills every runtime process (daemon shutdown, test-hook reset).
    func shutdown() {
        let all = pools.withLock { pools in
            defer { pools.removeAll() }
            return Array(pools.values)
        }
        all.forEach { $0.discard() }
    }

    private func start(_ function: LambdaFunction) async throws -> ExecutionEnvironment {
        let port = daemonPort.withLock { $0 }
        let region = function.region
        var environment: [String: String] = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "_HANDLER": function.handler, "LAMBDA_TASK_ROOT": code.taskRoot(function.codeKey), "LAMBDA_RUNTIME_DIR": runtimeDirectory.path,
            "AWS_LAMBDA_FUNCTION_NAME": function.name, "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": String(function.memorySize), "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/\(function.name)",
            "AWS_LAMBDA_LOG_STREAM_NAME": "\(Self.day())/[$LATEST]\(UUID().uuidString.lowercased().prefix(32))",
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand", "AWS_REGION": region, "AWS_DEFAULT_REGION": region,
            "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_SESSION_TOKEN": "test",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:\(port)", "AWS_EXECUTION_ENV": "AWS_Lambda_\(function.runtime)",
            "TZ": ":UTC", "LANG": "en_US.UTF-8", "PYTHONPATH": code.taskRoot(function.codeKey), "PYTHONUNBUFFERED": "1",
        ]
        environment.merge(function.variables) { _, user in user }
        let directory = environmentsRoot.appendingPathComponent(UUID().uuidString.lowercased())
        return try await ExecutionEnvironment.start(
            command: try command(for: function), environment: environment, codeDirectory: code.taskRoot(function.codeKey), directory: directory)
    }

    /// `python3.x`: `<python> -m awslambdaric <handler>` when that interpreter has awslambdaric, else
    /// `<python> <Apiary's runtime client>`; `provided*`: the package's `bootstrap`.
    private func command(for function: LambdaFunction) throws -> [String] {
        if function.runtime.hasPrefix("provided") {
            let bootstrap = code.taskRoot(function.codeKey) + "/bootstrap"
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
            let wanted = Self.output([function.runtime, "-c", "import boto3; " + executable])
            if wanted == nil {
                logger.warning("\(function.runtime) with boto3 is not on PATH; running \(function.runtime) functions with python3")
            }
            guard let python = wanted ?? Self.output(["python3", "-c", executable]) else {
                throw SessionProcessError("no python3 interpreter on PATH for \(function.runtime)")
            }
            let prefix: [String]
            if Self.output([python, "-c", "import awslambdaric"]) != nil {
                prefix = [python, "-m", "awslambdaric"]
            } else {
                try FileManager.default.createDirectory(at: runtimeDirectory, withIntermediateDirectories: true)
                let client = runtimeDirectory.appendingPathComponent(PythonRuntimeClient.fileName)
                try PythonRuntimeClient.source.write(to: client, atomically: true, encoding: .utf8)
                prefix = [python, client.path]
            }
            commands[function.runtime] = prefix
            return prefix
        }
        return prefix + [function.handler]
    }

    /// What `command` prints (trimmed), or nil when it cannot run or fails.
    private static func output(_ command: [String]) -> String? {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let printed = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: printed, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func day() -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy/MM/dd"
        return formatter.string(from: Date())
    }
}

/// The environments of one function revision: idle ones are reused, new ones start while fewer than `limit`
/// exist, otherwise callers queue.
final class FunctionPool: Sendable {
    let revisionID: String
    private let limit: Int
    private struct State {
        var idle: [ExecutionEnvironment] = []
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
                while let environment = state.idle.popLast() {
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
                state.idle.append(environment)
            } else {
                state.all.removeAll { $0 === environment }
            }
        }
        if !kept { environment.terminate() }
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
