import Foundation
import ObjectStore
import Testing

/// Issue 22's failure behaviour, live, with ctl and boto3 against real daemons: a daemon SIGKILLed in the middle of a
/// job while another serves the same PostgreSQL database, and the database restarted (then held down) while two
/// daemons take a load of calls (Tests/ClientSuites/compat/restart_under_load.py). Skipped without
/// APIARY_TEST_DATABASE (scripts/test.sh), which says this machine has PostgreSQL.
@Suite(
    "failover: a daemon killed mid-job, PostgreSQL restarted under load",
    .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["APIARY_TEST_DATABASE"] != nil, "needs APIARY_TEST_DATABASE (scripts/test.sh)")
)
struct FailoverTests {
    @Test("SIGKILL the daemon running a job: the other serves the same state, once the 6 s lease expires runs the job to Completed, once, and deploys it; a third serves that endpoint after the second is killed")
    func aKilledDaemonsJobIsFinishedByTheOther() throws {
        let database = try SharedTestDatabase()
        defer { database.drop() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-failover-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try CrashRecoveryTests.stageSampleData(home: scratch)
        let arguments = ["--database", database.url, "--object-store", scratch.appendingPathComponent("s3").path, "--lease-seconds", "6"]
        let a = try LiveDaemon(extraArguments: arguments)
        defer { a.terminate() }
        let b = try LiveDaemon(extraArguments: arguments)
        defer { b.terminate() }
        let name = "failover-job"
        try CrashRecoveryTests.createJob(a, name: name, epochs: 2)
        let running = try CrashRecoveryTests.waitUntil(b, name) { ($0["SecondaryStatus"] as? String) == "Training" }
        let started = "job=\(name) [TrainingExecution] training job started"
        // Whichever daemon's worker claimed it (A's, woken by the enqueue, unless B's poll came first) is killed.
        let (holder, survivor) = a.daemonLog.contains(started) ? (a, b) : (b, a)
        let logs = { "--- holder ---\n\(holder.daemonLog.suffix(3000))\n--- survivor ---\n\(survivor.daemonLog.suffix(3000))" }
        try #require(holder.daemonLog.contains(started), "\(logs())")
        holder.kill()
        // The holder is dead before the survivor may start the job: no two runs at once.
        #expect(!survivor.daemonLog.contains(started), "\(logs())")

        // The survivor serves the same state at once.
        let described = try CrashRecoveryTests.describe(survivor, name)
        #expect(described["TrainingJobArn"] as? String == running["TrainingJobArn"] as? String, "\(described)")
        #expect(described["TrainingJobStatus"] as? String == "InProgress", "\(described)")
        let list = try survivor.runClient(CtlBinary.url.path, ["training-jobs", "list", "--json", "--endpoint-url", survivor.url])
        let listed = (try? JSONSerialization.jsonObject(with: Data(list.output.utf8))) as? [String: Any]
        let summaries = listed?["TrainingJobSummaries"] as? [[String: Any]]
        #expect(summaries?.map { $0["TrainingJobName"] as? String } == [name], "\(list.output)")

        // Once the lease has expired, the survivor's worker brings the job back and runs it to its end, once.
        let job = try CrashRecoveryTests.waitUntil(survivor, name) { ($0["TrainingJobStatus"] as? String) != "InProgress" }
        #expect(job["TrainingJobStatus"] as? String == "Completed", "\(job)\n\(logs())")
        let transitions = job["SecondaryStatusTransitions"] as? [[String: Any]] ?? []
        #expect(transitions.filter { $0["Status"] as? String == "Completed" }.count == 1, "\(transitions)")
        let messages = transitions.compactMap { $0["StatusMessage"] as? String }
        #expect(messages.contains { $0.hasPrefix("Apiary restarted while this job was running") }, "\(transitions)")
        Self.waitForEndLine([survivor], job: name)
        #expect(Self.count(survivor.daemonLog, job: name, "training job started") == 1, "started once on the survivor\n\(logs())")
        #expect(Self.count(survivor.daemonLog, job: name, "training job ended") == 1, "ended once\n\(logs())")
        #expect(Self.count(holder.daemonLog, job: name, "training job ended") == 0, "\(logs())")

        // An endpoint outlives the daemon that deployed it: the survivor deploys the job's model and is killed in turn;
        // a third daemon on the same database and object store loads it on its first invocation and answers.
        let ctl = CtlBinary.url.path
        let deploy = try survivor.runClient(ctl, ["deploy", name, "--name", "failover-bees", "--endpoint-url", survivor.url])
        #expect(deploy.status == 0 && deploy.output.contains("InService"), "\(deploy.output)")
        let third = try LiveDaemon(extraArguments: arguments)
        defer { third.terminate() }
        survivor.kill()
        let objects = ObjectStore(root: scratch.appendingPathComponent("s3"))
        let image = scratch.appendingPathComponent("bee.jpg")
        try objects.get(S3URI(bucket: "bees", key: try #require(try objects.list(bucket: "bees", prefix: "images/").first))).write(to: image)
        let invoke = try third.runClient(ctl, ["invoke", "failover-bees", image.path, "--endpoint-url", third.url])
        #expect(invoke.status == 0 && invoke.output.hasPrefix("IMAGE"), "\(invoke.output)\n\(third.daemonLog.suffix(2000))")
        #expect(third.daemonLog.contains("endpoint=failover-bees [EndpointRuntime] endpoint another daemon deployed loads here"), "\(third.daemonLog.suffix(2000))")
    }

    @Test("PostgreSQL restarted, then held down, under a load of calls to two daemons: no acknowledged write lost, clean errors meanwhile, both keep working, no job run twice")
    func aRestartUnderLoadLosesNothing() throws {
        // A cluster of this test's own: other suites keep using the shared one while this one goes down.
        let cluster = try PrivatePostgres()
        defer { cluster.stop() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try CrashRecoveryTests.stageSampleData(home: scratch)
        let arguments = ["--database", cluster.url, "--object-store", scratch.appendingPathComponent("s3").path, "--lease-seconds", "90"]
        let a = try LiveDaemon(extraArguments: arguments)
        defer { a.terminate() }
        let b = try LiveDaemon(extraArguments: arguments)
        defer { b.terminate() }
        let (processA, processB) = (a.process.processIdentifier, b.process.processIdentifier)
        // A real training job runs through it all (stopped once the load is done): its worker must keep its lease (90 s)
        // across the outage.
        let long = "restart-long"
        try CrashRecoveryTests.createJob(a, name: long, epochs: 200)
        _ = try CrashRecoveryTests.waitUntil(a, long) { ($0["SecondaryStatus"] as? String) == "Training" }

        let run = try a.runClient(
            "python3", ["Tests/ClientSuites/compat/restart_under_load.py"],
            environment: [
                "APIARY_URL_B": b.url, "APIARY_LOG": a.log.path, "APIARY_LOG_B": b.log.path, "APIARY_TEST_PG_CTL": cluster.pgCtl,
                "APIARY_LONG_JOB": long,
            ])
        let logs = { "\(run.output)\n--- A ---\n\(a.daemonLog.suffix(4000))\n--- B ---\n\(b.daemonLog.suffix(4000))" }
        #expect(run.status == 0 && run.output.contains(" passed, 0 failed"), "\(logs())")
        // Every call is answered within boto3's 15 s read timeout: a statement waits 10 s at most, and a transaction
        // whose connection broke sends no ROLLBACK (one sent on a closing connection once waited for ever).
        #expect(!run.output.contains("HUNG "), "\(logs())")
        // Neither daemon was restarted.
        #expect(a.process.isRunning && b.process.isRunning, "\(logs())")
        #expect(a.process.processIdentifier == processA && b.process.processIdentifier == processB)

        let stop = try a.runClient(CtlBinary.url.path, ["training-jobs", "stop", long, "--endpoint-url", a.url])
        #expect(stop.status == 0, "\(stop.output)")
        let job = try CrashRecoveryTests.waitUntil(a, long) { !["InProgress", "Stopping"].contains($0["TrainingJobStatus"] as? String) }
        #expect(job["TrainingJobStatus"] as? String == "Stopped", "\(job)\n\(logs())")
        let messages = (job["SecondaryStatusTransitions"] as? [[String: Any]] ?? []).compactMap { $0["StatusMessage"] as? String }
        #expect(!messages.contains { $0.hasPrefix("Apiary restarted while this job was running") }, "it kept its lease: \(messages)")
        Self.waitForEndLine([a, b], job: long)
        let both = a.daemonLog + b.daemonLog
        #expect(Self.count(both, job: long, "training job started") == 1, "started once\n\(logs())")
        #expect(Self.count(both, job: long, "training job ended") == 1, "ended once\n\(logs())")
    }

    /// A worker logs `training job ended` just after writing the end its Describe answer shows: waits up to 10 s for
    /// the line in the logs of `daemons`.
    static func waitForEndLine(_ daemons: [LiveDaemon], job: String) {
        let deadline = Date(timeIntervalSinceNow: 10)
        while daemons.allSatisfy({ count($0.daemonLog, job: job, "training job ended") == 0 }), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    /// How many lines of a daemon's log say `message` about `job` (`… job=<job> [status=…] [TrainingExecution] <message>`).
    static func count(_ log: String, job: String, _ message: String) -> Int {
        log.split(separator: "\n").filter { $0.contains(" job=\(job) ") && $0.hasSuffix("] \(message)") }.count
    }
}

/// A PostgreSQL cluster of one test's own — scripts/throwaway-postgres.sh in a shell that lives until `stop` — for a
/// test that stops and restarts its server while other suites use the shared one.
final class PrivatePostgres {
    private let shell = Process()
    private let input = Pipe()
    /// `postgresql://apiary@127.0.0.1:<port>/postgres`.
    let url: String
    /// pg_ctl on the cluster, as its owner and with its options (`-w -m fast restart`, `stop`, `start`).
    let pgCtl: String

    init() throws {
        let output = Pipe()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-postgres-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", #"source scripts/throwaway-postgres.sh && echo "$APIARY_TEST_DATABASE $APIARY_TEST_PG_CTL" && read -r _"#]
        shell.currentDirectoryURL = LiveDaemon.repositoryRoot
        shell.standardInput = input
        shell.standardOutput = output
        shell.standardError = try FileHandle(forWritingTo: errors)
        try shell.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let words = String(decoding: line, as: UTF8.self).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard words.count == 2 else {
            shell.waitUntilExit()
            throw LiveDaemonError("the private PostgreSQL cluster did not start: \((try? String(contentsOf: errors, encoding: .utf8)) ?? "")")
        }
        (url, pgCtl) = (words[0], words[1])
    }

    /// Ends the shell, whose exit stops the cluster and removes its directory.
    func stop() {
        try? input.fileHandleForWriting.close()
        shell.waitUntilExit()
    }
}
