import Foundation
import LambdaAPI

/// A `ctl serve` subprocess on a free port with its own data directory, for tests that drive it with real
/// clients (boto3, the aws CLI, moto's suite). Stopped (SIGTERM) when the test is done.
///
/// Its stores are SQLite files in its home, or — with `APIARY_TEST_DRIVER=postgresql`, as scripts/test.sh's first
/// pass runs the daemon suites — a fresh database of the test cluster (`APIARY_TEST_DATABASE`) that belongs to its home
/// (`LiveDaemonDatabases`), kept across restarts and dropped when this object goes; a test that names its own
/// `--database` keeps it.
final class LiveDaemon {
    let home: URL
    private(set) var process: Process
    private(set) var port = 0
    let log: URL
    /// Variables added to the daemon's environment (e.g. `APIARY_LAMBDA_IDLE_SECONDS`).
    let environment: [String: String]
    /// Whether `home` was made here, and so is removed with the daemon (its log and port files always are).
    private let ownsHome: Bool
    /// The database the daemon keeps its stores in under `APIARY_TEST_DRIVER=postgresql`.
    private let database: SharedTestDatabase?

    /// Whether the daemons of this test run keep their stores in PostgreSQL.
    static var runsOnPostgreSQL: Bool { ProcessInfo.processInfo.environment["APIARY_TEST_DRIVER"] == "postgresql" }

    var url: String { "http://127.0.0.1:\(port)" }

    /// The repository root (Tests/ClientSuites/compat lives there).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    init(home: URL? = nil, extraArguments: [String] = [], environment: [String: String] = [:]) throws {
        self.home = home ?? FileManager.default.temporaryDirectory.appendingPathComponent("apiary-live-\(UUID().uuidString)")
        ownsHome = home == nil
        log = self.home.appendingPathExtension("log")
        self.environment = environment
        database = Self.runsOnPostgreSQL && !extraArguments.contains("--database") ? try LiveDaemonDatabases.shared.database(for: self.home) : nil
        process = Process()
        do {
            try start(extraArguments: extraArguments)
        } catch {
            if database != nil { LiveDaemonDatabases.shared.drop(for: self.home) }
            throw error
        }
    }

    /// Starts (or restarts) the daemon on a fresh free port and waits until it listens.
    func start(extraArguments: [String] = []) throws {
        let portFile = home.appendingPathExtension("port")
        try? FileManager.default.removeItem(at: portFile)
        process = Process()
        process.executableURL = CtlBinary.url
        process.environment = ChildEnvironment.inherited(adding: environment)
        process.arguments =
            ["serve", "--port", "0", "--port-file", portFile.path, "--home", home.path, "--test-hooks", "--account", "123456789012"] + extraArguments
            + (database.map { ["--database", $0.url] } ?? [])
        if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                port = value
                return
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw LiveDaemonError("the daemon did not start; its log:\n\(daemonLog)")
    }

    var daemonLog: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    func terminate() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// The exit status of the last run, once it has ended.
    var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// SIGKILLs the daemon and removes the Lambda work directory it leaves in /tmp, as a graceful stop would (a
    /// restart on the same home makes a fresh one).
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: LambdaSandbox.workDirectory(forRoot: LambdaRuntimes.root(home: home)))
    }

    deinit {
        terminate()
        if database != nil { LiveDaemonDatabases.shared.drop(for: home) }
        // The log and port files beside the home are the daemon's own; the home goes only when made here.
        for url in [log, home.appendingPathExtension("port")] + (ownsHome ? [home] : []) { try? FileManager.default.removeItem(at: url) }
    }

    /// Runs a client program with APIARY_URL, APIARY_HOME (the daemon's), APIARY_CTL (the ctl binary) and dummy AWS
    /// credentials set. - Returns: exit status and output.
    func runClient(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        client.arguments = [executable] + arguments
        client.currentDirectoryURL = Self.repositoryRoot
        var env = ChildEnvironment.inherited()
        env["APIARY_URL"] = url
        env["APIARY_HOME"] = home.path
        env["APIARY_CTL"] = CtlBinary.url.path
        // A client that starts `ctl serve` on the same home itself (the UI suite's restarts) reaches the same stores.
        if let database { env["APIARY_DATABASE"] = database.url }
        env["AWS_ACCESS_KEY_ID"] = "AKIAAPIARYTEST000000"
        env["AWS_SECRET_ACCESS_KEY"] = "apiary-test-secret"
        env["AWS_DEFAULT_REGION"] = "us-east-1"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        // What the client leaves in its temporary folder (pytest's tmp_path, Chromium's profiles) goes with it.
        // A short name: Chromium puts its singleton socket two levels below, and a Unix socket's path has 107 bytes.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("client-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        env["TMPDIR"] = scratch.path
        for (key, value) in environment { env[key] = value }
        client.environment = env
        let pipe = Pipe()
        client.standardOutput = pipe
        client.standardError = pipe
        try client.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        client.waitUntilExit()
        return (client.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

struct LiveDaemonError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
