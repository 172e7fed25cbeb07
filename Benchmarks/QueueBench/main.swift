import AWSProtocol
import ControlPlane
import Foundation
import Logging
import PostgresControlPlane
import PostgresNIO

// queue-bench: the training queue's claim path on each driver, printed as JSON lines for bench/run_queue_bench.sh.
//   queue-bench JOBS CLAIMERS [POSTGRES_URL]
// Enqueues JOBS training jobs, then CLAIMERS threads claim and complete until the queue is empty: claims/s over the
// whole drain and the latency of each successful claim (p50, p99). SQLite runs on a temporary state file; PostgreSQL
// (when a URL is given: a server whose user may create databases) on a fresh database, dropped at the end.

let arguments = CommandLine.arguments
guard arguments.count >= 3, let jobs = Int(arguments[1]), let claimers = Int(arguments[2]), jobs > 0, claimers > 0 else {
    FileHandle.standardError.write(Data("usage: queue-bench JOBS CLAIMERS [POSTGRES_URL]\n".utf8))
    exit(2)
}
let logger = Logger(label: "queue-bench")

@Sendable func milliseconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
}

func record(_ name: String) -> ResourceRecord {
    let document: JSONValue = [
        "TrainingJobName": .string(name), "TrainingJobStatus": "InProgress", "SecondaryStatus": "Starting",
        "HyperParameters": ["base_network": "resnet-50", "num_classes": "1", "epochs": "30", "mini_batch_size": "16"],
        "AlgorithmSpecification": ["TrainingImage": "501404015308.dkr.ecr.us-east-1.amazonaws.com/object-detection:1"],
    ]
    return ResourceRecord(
        kind: .trainingJob,
        name: name,
        arn: "arn:aws:sagemaker:us-east-1:123456789012:training-job/\(name)",
        creationTime: 1,
        lastModifiedTime: 1,
        status: "InProgress",
        document: document
    )
}

/// Each claimer's successful claim latencies (ms), gathered from its thread.
final class Latencies: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var claims: [Double] = []
    private(set) var completes: [Double] = []
    private(set) var failures: [String] = []

    func add(claim: Double, complete: Double) {
        lock.withLock {
            claims.append(claim)
            completes.append(complete)
        }
    }
    func fail(_ error: any Error) { lock.withLock { failures.append("\(error)") } }
}

func run(_ driver: String, _ queue: any TrainingJobQueue, jobs: Int, claimers: Int) throws {
    let prefix = UUID().uuidString.prefix(8)
    var start = DispatchTime.now().uptimeNanoseconds
    for index in 0..<jobs { _ = try queue.enqueue(record("bench-\(prefix)-\(index)"), tags: [("team", "bench")]) }
    let enqueueSeconds = milliseconds(since: start) / 1000
    let latencies = Latencies()
    let group = DispatchGroup()
    start = DispatchTime.now().uptimeNanoseconds
    for claimer in 0..<claimers {
        group.enter()
        Thread {
            defer { group.leave() }
            do {
                while true {
                    let claimStart = DispatchTime.now().uptimeNanoseconds
                    guard let lease = try queue.claim(worker: "bench/\(claimer)", now: 1000) else { return }
                    let claimed = milliseconds(since: claimStart)
                    let completeStart = DispatchTime.now().uptimeNanoseconds
                    try queue.complete(lease) { $0.status = "Completed" }
                    latencies.add(claim: claimed, complete: milliseconds(since: completeStart))
                }
            } catch {
                latencies.fail(error)
            }
        }.start()
    }
    group.wait()
    let drainSeconds = milliseconds(since: start) / 1000
    guard latencies.failures.isEmpty, latencies.claims.count == jobs else {
        FileHandle.standardError.write(Data("error: \(driver): \(latencies.claims.count) of \(jobs) claimed; \(latencies.failures.prefix(3))\n".utf8))
        exit(1)
    }
    let claims = latencies.claims.sorted()
    let completes = latencies.completes.sorted()
    let line: JSONValue = [
        "driver": .string(driver), "jobs": .int(jobs), "claimers": .int(claimers),
        "enqueues_per_second": .double((Double(jobs) / enqueueSeconds).rounded()),
        "claims_per_second": .double((Double(jobs) / drainSeconds).rounded()),
        "claim_p50_ms": .double((percentile(claims, 0.5) * 1000).rounded() / 1000),
        "claim_p99_ms": .double((percentile(claims, 0.99) * 1000).rounded() / 1000),
        "complete_p99_ms": .double((percentile(completes, 0.99) * 1000).rounded() / 1000),
    ]
    print(line.rendered())
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-queue-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
try run(
    "sqlite",
    SQLiteJobQueue(store: try ControlPlaneStore.open(path: directory.appendingPathComponent("state.sqlite").path)),
    jobs: jobs,
    claimers: claimers
)

if arguments.count > 3 {
    let server = try PostgresURL(arguments[3])
    let admin = try PostgresConnections(url: server, size: 1, logger: logger)
    defer { admin.close() }
    let name = "apiary_queue_bench_\(getpid())"
    try admin.withSession { _ = try $0.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")) }
    defer { _ = try? admin.withSession { try $0.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")) } }
    let connections = try PostgresConnections(url: server.on(database: name), size: claimers, logger: logger)
    defer { connections.close() }
    try run("postgresql", try PostgresJobQueue(connections: connections), jobs: jobs, claimers: claimers)
}
