import Foundation
import ObjectStore
import Testing

/// `ctl worker` beside a `ctl serve` that runs no jobs itself, on one fresh PostgreSQL database of the test cluster
/// (`APIARY_TEST_DATABASE`; the live tests are skipped without it), reaching the daemon's objects through a shared
/// directory or through the daemon's S3 API alone, driven by boto3 (Tests/ClientSuites/compat/worker_node.py); a
/// SIGKILLed worker's job resumed by a worker with another home; and its start errors.
@Suite("ctl worker: a node that runs a shared queue's jobs", .serialized)
struct WorkerNodeTests {
    @Test(
        "a job created on a daemon with --training-concurrency 0 is run to Completed by a ctl worker on the same database and object store",
        .enabled(if: ProcessInfo.processInfo.environment["APIARY_TEST_DATABASE"] != nil, "needs APIARY_TEST_DATABASE (scripts/test.sh)"))
    func aWorkerRunsTheDaemonsJob() throws {
        let node = try WorkerNodeScratch()
        defer { node.close() }
        let (daemon, objects) = (node.daemon, node.objects)
        // Two slots: the two-instance job's gang is both of this worker's.
        let worker = try LiveWorker(arguments: node.workerArguments + ["--concurrency", "2"])
        defer { worker.terminate() }
        let run = try daemon.runClient(
            "python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "Tests/ClientSuites/compat/worker_node.py"],
            environment: ["APIARY_OBJECT_STORE": objects.path])
        let logs = "\(run.output)\n--- daemon ---\n\(daemon.daemonLog.suffix(3000))\n--- worker ---\n\(worker.log.suffix(3000))"
        #expect(run.status == 0 && run.output.contains("2 passed"), "\(logs)")
        // The worker ran it, not the daemon.
        #expect(worker.log.contains("training job started") && !daemon.daemonLog.contains("training job started"), "\(logs)")
        worker.terminate()
        #expect(worker.process.terminationStatus == 0, "\(logs)")
    }

    @Test(
        "a worker with --endpoint-url and no shared directory runs boto3 training jobs (one and two instances) and a transform job through the daemon's S3 API",
        .enabled(if: ProcessInfo.processInfo.environment["APIARY_TEST_DATABASE"] != nil, "needs APIARY_TEST_DATABASE (scripts/test.sh)"))
    func aWorkerReachesObjectsThroughTheS3API() throws {
        let node = try WorkerNodeScratch()
        defer { node.close() }
        let daemon = node.daemon
        let home = node.scratch.appendingPathComponent("remote-home")
        let worker = try LiveWorker(arguments: ["--database", node.database.url, "--endpoint-url", daemon.url, "--home", home.path, "--concurrency", "2"])
        defer { worker.terminate() }
        let run = try daemon.runClient("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "Tests/ClientSuites/compat/worker_node.py"])
        let logs = "\(run.output)\n--- daemon ---\n\(daemon.daemonLog.suffix(3000))\n--- worker ---\n\(worker.log.suffix(3000))"
        #expect(run.status == 0 && run.output.contains("2 passed"), "\(logs)")
        #expect(worker.log.contains("training job started") && worker.log.contains("transform job ended"), "\(logs)")
        // Nothing of the store's directory was touched from the worker's home: no s3/ there, and its jobs' work
        // directories (input cache included) are gone with the jobs.
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("s3").path), "\(logs)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: home.appendingPathComponent("jobs").path)) ?? [] == [], "\(logs)")
        worker.terminate()
        #expect(worker.process.terminationStatus == 0, "\(logs)")
    }

    @Test(
        "SIGKILL a worker mid-training: once its lease expires (60 s) a worker with another home resumes the job from the stored checkpoint and ends with an uninterrupted run's weights",
        .enabled(if: ProcessInfo.processInfo.environment["APIARY_TEST_DATABASE"] != nil, "needs APIARY_TEST_DATABASE (scripts/test.sh)"))
    func aKilledWorkersJobIsResumedByAnother() throws {
        let node = try WorkerNodeScratch()
        defer { node.close() }
        let daemon = node.daemon
        try CrashRecoveryTests.stageSampleData(home: node.scratch)
        let first = try LiveWorker(arguments: node.workerArguments)
        defer { first.terminate() }
        try CrashRecoveryTests.createJob(daemon, name: "handed-over", epochs: 3)
        // The object store's copy is written after the local one: wait for it, the commit record last of all.
        let progress = S3URI(bucket: "bees", key: "output/handed-over/checkpoints/progress.json")
        let deadline = Date().addingTimeInterval(600)
        while !ObjectStore(root: node.objects).exists(progress) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(ObjectStore(root: node.objects).exists(progress), "no stored checkpoint appeared:\n\(first.log.suffix(3000))")
        first.kill()

        // Another home: no local checkpoint there, only the object store's.
        let otherHome = node.scratch.appendingPathComponent("other-home")
        let second = try LiveWorker(arguments: ["--database", node.database.url, "--object-store", node.objects.path, "--home", otherHome.path])
        defer { second.terminate() }
        let job = try CrashRecoveryTests.waitUntil(daemon, "handed-over") { ($0["TrainingJobStatus"] as? String) != "InProgress" }
        let logs = "--- first ---\n\(first.log.suffix(2000))\n--- second ---\n\(second.log.suffix(2000))"
        #expect(job["TrainingJobStatus"] as? String == "Completed", "\(job)\n\(logs)")
        let messages = (job["SecondaryStatusTransitions"] as? [[String: Any]] ?? []).compactMap { $0["StatusMessage"] as? String }
        #expect(messages.contains { $0.contains("Resuming training from the checkpoint of epoch") }, "\(messages)\n\(logs)")
        #expect(second.log.contains("job=handed-over [TrainingExecution] training job started"), "\(logs)")
        #expect(second.log.contains("fetched the checkpoint of epoch"), "\(logs)")

        // Same seed (APIARY_SEED=7), never interrupted: the same weights, bit for bit.
        try CrashRecoveryTests.createJob(daemon, name: "uninterrupted", epochs: 3)
        let reference = try CrashRecoveryTests.waitUntil(daemon, "uninterrupted") { ($0["TrainingJobStatus"] as? String) != "InProgress" }
        #expect(reference["TrainingJobStatus"] as? String == "Completed", "\(reference)")
        try CrashRecoveryTests.expectSameWeights(home: node.scratch, "handed-over", "uninterrupted")
    }

    @Test(
        "a two-instance job waits for a second worker node's slot, then runs its ranks from a hostfile of both workers' advertised hosts and holds both until it ends",
        .enabled(if: ProcessInfo.processInfo.environment["APIARY_TEST_DATABASE"] != nil, "needs APIARY_TEST_DATABASE (scripts/test.sh)"))
    func aGangOfTwoWorkerNodesRunsATwoInstanceJob() throws {
        let node = try WorkerNodeScratch()
        defer { node.close() }
        let daemon = node.daemon
        // Two names of this machine, as two hosts would advertise theirs; mpirun starts both ranks here without ssh.
        func worker(_ name: String, advertising host: String) throws -> LiveWorker {
            try LiveWorker(arguments: [
                "--database", node.database.url, "--object-store", node.objects.path, "--home", node.scratch.appendingPathComponent(name).path,
                "--concurrency", "1", "--advertise-host", host,
            ])
        }
        let environment = ["GANG_HOSTS": "localhost, 127.0.0.1"]
        let leader = try worker("leader", advertising: "localhost")
        defer { leader.terminate() }
        let waiting = try daemon.runClient("python3", ["Tests/ClientSuites/compat/gang_scheduling.py", "create"], environment: environment)
        #expect(waiting.status == 0, "\(waiting.output)\n--- leader ---\n\(leader.log.suffix(3000))")
        let member = try worker("member", advertising: "127.0.0.1")
        defer { member.terminate() }
        let run = try daemon.runClient("python3", ["Tests/ClientSuites/compat/gang_scheduling.py", "finish"], environment: environment)
        let logs = "\(run.output)\n--- leader ---\n\(leader.log.suffix(4000))\n--- member ---\n\(member.log.suffix(4000))"
        #expect(run.status == 0, "\(logs)")
        #expect(leader.log.contains("job=gang-pair [TrainingExecution] Starting 2 instances under mpirun on the gang's hosts: localhost, 127.0.0.1"), "\(logs)")
        #expect(member.log.contains("joined the gang of a multi-instance training job") && member.log.contains("left the gang"), "\(logs)")
        #expect(!member.log.contains("job=gang-pair [TrainingExecution] training job started"), "the member's worker ran no rank launch of its own: \(logs)")
    }

    @Test("an S3 endpoint that does not answer stops the worker at start with the fix")
    func anUnansweringEndpointIsAClearErrorAtStart() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-worker-noep-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let run = try CtlBinary.run([
            "worker", "--home", home.path, "--database", "postgresql://apiary@127.0.0.1:1/apiary", "--endpoint-url", "http://127.0.0.1:1",
        ])
        #expect(run.status == 1)
        #expect(run.error.contains("cannot reach the daemon's S3 API at http://127.0.0.1:1 (--endpoint-url)"), "\(run.error)")
        #expect(run.error.contains("Is `ctl serve` running there"), "\(run.error)")
    }

    @Test("credentials the daemon does not accept stop the worker at start, naming the variables to set")
    func refusedCredentialsAreAClearErrorAtStart() throws {
        let daemon = try LiveDaemon(extraArguments: ["--auth", "verify", "--credentials", "AKIAWORKERGOOD000000:worker-secret"])
        defer { daemon.terminate() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-worker-creds-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let arguments = ["worker", "--home", home.path, "--database", "postgresql://apiary@127.0.0.1:1/apiary", "--endpoint-url", daemon.url]
        let refused = try CtlBinary.run(arguments, environment: ["AWS_ACCESS_KEY_ID": "AKIAWORKERBAD0000000", "AWS_SECRET_ACCESS_KEY": "wrong"])
        #expect(refused.status == 1)
        #expect(refused.error.contains("refused this worker's credentials (InvalidAccessKeyId"), "\(refused.error)")
        #expect(refused.error.contains("Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), "\(refused.error)")
        // The right pair passes the check: the worker gets as far as the database (which does not answer here).
        let accepted = try CtlBinary.run(arguments, environment: ["AWS_ACCESS_KEY_ID": "AKIAWORKERGOOD000000", "AWS_SECRET_ACCESS_KEY": "worker-secret"])
        #expect(accepted.status == 1)
        #expect(accepted.error.contains("cannot reach the PostgreSQL database"), "\(accepted.error)")
    }

    @Test("without a database the worker says how to give one")
    func noDatabaseIsACLIMessage() throws {
        let run = try CtlBinary.run(["worker", "--home", "/tmp/apiary-worker-unused"], environment: ["APIARY_DATABASE": ""])
        #expect(run.status == 1)
        #expect(run.error.contains("--database postgresql://user@host:port/database (or set APIARY_DATABASE)"), "\(run.error)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/apiary-worker-unused"))
    }

    @Test("a lease under 3 s is refused, by ctl serve and ctl worker, from the flag or APIARY_LEASE_SECONDS")
    func aTooShortLeaseIsACLIMessage() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-lease-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let serve = try CtlBinary.run(["serve", "--port", "0", "--home", home.path, "--lease-seconds", "1"])
        #expect(serve.status == 64)
        #expect(serve.error.contains("--lease-seconds 1.0 is not a lease duration: give a number of seconds, 3 or more"), "\(serve.error)")
        let worker = try CtlBinary.run(
            ["worker", "--home", home.path, "--database", "postgresql://apiary@127.0.0.1:1/apiary"], environment: ["APIARY_LEASE_SECONDS": "soon"])
        #expect(worker.status == 1)
        #expect(worker.error.contains("APIARY_LEASE_SECONDS 'soon' is not a lease duration"), "\(worker.error)")
        #expect(!FileManager.default.fileExists(atPath: home.path))
    }

    @Test("an advertised host that cannot stand in a hostfile is refused, by ctl serve and ctl worker, from the flag or APIARY_ADVERTISE_HOST")
    func aBadAdvertisedHostIsACLIMessage() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-advertise-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let serve = try CtlBinary.run(["serve", "--port", "0", "--home", home.path, "--advertise-host", "two words"])
        #expect(serve.status == 64)
        #expect(serve.error.contains("--advertise-host 'two words' is not a host name: give the name or address other nodes reach this one at"), "\(serve.error)")
        let worker = try CtlBinary.run(
            ["worker", "--home", home.path, "--database", "postgresql://apiary@127.0.0.1:1/apiary"], environment: ["APIARY_ADVERTISE_HOST": "host#1"])
        #expect(worker.status == 1)
        #expect(worker.error.contains("APIARY_ADVERTISE_HOST 'host#1' is not a host name"), "\(worker.error)")
        #expect(!FileManager.default.fileExists(atPath: home.path))
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

/// A fresh database, a scratch directory — the object store every node shares (`s3/`) and a worker's home (`home/`) —
/// and a daemon on both that runs no jobs itself; `close` stops the daemon and removes the rest.
final class WorkerNodeScratch {
    let database: SharedTestDatabase
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-worker-\(UUID().uuidString)")
    var objects: URL { scratch.appendingPathComponent("s3") }
    let daemon: LiveDaemon
    /// `ctl worker`'s arguments on this database, object store and home.
    var workerArguments: [String] { ["--database", database.url, "--object-store", objects.path, "--home", scratch.appendingPathComponent("home").path] }

    init() throws {
        database = try SharedTestDatabase()
        do {
            daemon = try LiveDaemon(extraArguments: ["--database", database.url, "--training-concurrency", "0", "--object-store", scratch.appendingPathComponent("s3").path])
        } catch {
            database.drop()
            throw error
        }
    }

    func close() {
        daemon.terminate()
        database.drop()
        try? FileManager.default.removeItem(at: scratch)
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
        process.environment = ChildEnvironment.inherited()
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

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit {
        terminate()
        try? FileManager.default.removeItem(at: logFile)
    }
}
