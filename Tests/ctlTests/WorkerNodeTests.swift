import Foundation
import Testing

/// `ctl worker` beside a `ctl serve` that runs no jobs itself, on one fresh PostgreSQL database of the test cluster
/// (`APIARY_TEST_DATABASE`; the live test is skipped without it) and one object store directory, driven by boto3
/// (Tests/ClientSuites/compat/worker_node.py); and its start errors.
@Suite("ctl worker: a node that runs a shared queue's jobs", .serialized)
struct WorkerNodeTests {
    @Test(
        "a job created on a daemon with --training-concurrency 0 is run to Completed by a ctl worker on the same database and object store",
        .enabled(if: ProcessInfo.processInfo.environment["APIARY_TEST_DATABASE"] != nil, "needs APIARY_TEST_DATABASE (scripts/test.sh)"))
    func aWorkerRunsTheDaemonsJob() throws {
        let database = try SharedTestDatabase()
        defer { database.drop() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-worker-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let objects = scratch.appendingPathComponent("s3")
        let daemon = try LiveDaemon(
            extraArguments: ["--database", database.url, "--training-concurrency", "0", "--object-store", objects.path])
        defer { daemon.terminate() }
        let worker = try LiveWorker(arguments: ["--database", database.url, "--object-store", objects.path, "--home", scratch.appendingPathComponent("home").path])
        defer { worker.terminate() }
        let run = try daemon.runClient(
            "python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "Tests/ClientSuites/compat/worker_node.py"],
            environment: ["APIARY_OBJECT_STORE": objects.path])
        let logs = "\(run.output)\n--- daemon ---\n\(daemon.daemonLog.suffix(3000))\n--- worker ---\n\(worker.log.suffix(3000))"
        #expect(run.status == 0 && run.output.contains("1 passed"), "\(logs)")
        // The worker ran it, not the daemon.
        #expect(worker.log.contains("training job started") && !daemon.daemonLog.contains("training job started"), "\(logs)")
        worker.terminate()
        #expect(worker.process.terminationStatus == 0, "\(logs)")
    }

    @Test("without a database the worker says how to give one")
    func noDatabaseIsACLIMessage() throws {
        let run = try CtlBinary.run(["worker", "--home", "/tmp/apiary-worker-unused"], environment: ["APIARY_DATABASE": ""])
        #expect(run.status == 1)
        #expect(run.error.contains("--database postgresql://user@host:port/database (or set APIARY_DATABASE)"), "\(run.error)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/apiary-worker-unused"))
    }

    @Test("a database URL that does not answer stops the worker at start with the fix")
    func anUnansweringDatabaseIsAClearErrorAtStart() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-worker-nodb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let run = try CtlBinary.run(["worker", "--home", home.path, "--database", "postgresql://apiary@127.0.0.1:1/apiary"])
        #expect(run.status == 1)
        #expect(run.error.contains("cannot reach the PostgreSQL database at postgresql://apiary@127.0.0.1:1/apiary"), "\(run.error)")
    }
}

/// A `ctl worker` process, its output in a log file beside the test's scratch files.
final class LiveWorker {
    let process = Process()
    private let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-worker-\(UUID().uuidString).log")

    init(arguments: [String]) throws {
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.executableURL = CtlBinary.url
        process.arguments = ["worker"] + arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// SIGTERM, and waits: running jobs checkpoint and stay queued.
    func terminate() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit {
        terminate()
        try? FileManager.default.removeItem(at: logFile)
    }
}
