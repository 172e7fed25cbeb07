import AWSProtocol
import ArgumentParser
import Foundation
import Hummingbird
import JobService
import Logging
import NIOCore

/// `ctl serve`: run the Apiary daemon in the foreground.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Apiary daemon: SageMaker, CloudWatch Logs and the training queue on one local port.",
        discussion: """
            Point any AWS client at it with only the endpoint changed:
              aws --endpoint-url http://127.0.0.1:4566 sagemaker list-training-jobs
              boto3.client("sagemaker", endpoint_url="http://127.0.0.1:4566", region_name="us-east-1")

            State lives in $APIARY_HOME (default ~/.apiary). SIGTERM or Ctrl-C stops gracefully: running training \
            jobs checkpoint and resume on the next start. Environment: APIARY_HOME, APIARY_HOST, APIARY_PORT, \
            APIARY_AUTH, APIARY_CREDENTIALS, APIARY_ACCOUNT, APIARY_REGION, APIARY_TRAINING_CONCURRENCY, APIARY_INSTANCE_SLOTS, \
            APIARY_DATABASE, APIARY_LEASE_SECONDS, APIARY_ADVERTISE_HOST, \
            APIARY_LAMBDA_IDLE_SECONDS (a warm Lambda environment idle this long is stopped, default 300), \
            APIARY_LAMBDA_INIT_SECONDS (Lambda's init phase limit, default 10).

            Examples:
              ctl serve &                  # 127.0.0.1:4566, state in ~/.apiary
              ctl serve --home ./apiary-state --port 0 --port-file port &
            """
    )

    @Option(help: "Address to listen on (default 127.0.0.1; anything but loopback needs --allow-remote).")
    var host: String?

    @Option(help: "Port to listen on (default 4566; 0 picks a free one, see --port-file).")
    var port: Int?

    @Option(help: "Data directory (default $APIARY_HOME or ~/.apiary).")
    var home: String?

    @Option(help: "Signature checking: off, parse (default: any credentials, region from the signature) or verify.")
    var auth: String?

    @Option(help: "Access keys accepted with --auth verify: ACCESS_KEY_ID:SECRET[,…].")
    var credentials: String?

    @Option(help: "Account id in ARNs (default 000000000000).")
    var account: String?

    @Option(help: "Region for requests that name none (default us-east-1).")
    var region: String?

    @Option(help: "Training jobs run at once (default 1; 0, with --database, leaves them to other nodes such as `ctl worker`).")
    var trainingConcurrency: Int?

    @Option(
        help: ArgumentHelp(
            "The most instances (InstanceCount) one training job may ask for; its ranks run here under mpirun (default 2).",
            discussion: "With --database, a job's ranks run on the hosts of as many idle workers of any nodes (a gang), so give at most the worker slots of all nodes together."))
    var instanceSlots: Int?

    @Option(help: Serve.advertiseHostHelp)
    var advertiseHost: String?

    @Flag(help: "Allow listening on a non-loopback address.")
    var allowRemote = false

    @Flag(help: "Serve POST /moto-api/reset (wipes all state), for moto's test suite.")
    var testHooks = false

    @Option(help: "Write the bound port to this file once listening (useful with --port 0).")
    var portFile: String?

    @Option(
        help: ArgumentHelp(
            "Keep the control plane, the training/transform queue and the label store in this PostgreSQL database (postgresql://user@host:port/database; default $APIARY_DATABASE, else the home's state.sqlite and labels.sqlite), shared with other daemons on it.",
            discussion: "Objects (s3/) and checkpoints (jobs/) stay in this daemon's home."))
    var database: String?

    @Option(help: "The object store's directory (default the home's s3/): with --database, the one directory every daemon and `ctl worker` shares.")
    var objectStore: String?

    @Option(help: Serve.leaseSecondsHelp)
    var leaseSeconds: Double?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func run() async throws {
        var configuration: DaemonConfiguration
        do {
            configuration = try DaemonConfiguration.fromEnvironment()
            if let home { configuration.home = URL(fileURLWithPath: home) }
            if let host { configuration.host = host }
            if let port { configuration.port = port }
            if let auth {
                guard let mode = AuthMode(rawValue: auth) else { throw ValidationError("--auth must be off, parse or verify, got '\(auth)'") }
                configuration.authMode = mode
            }
            if let credentials { configuration.credentials = try DaemonConfiguration.parseCredentials(credentials) }
            if let account { configuration.account = account }
            if let region { configuration.defaultRegion = region }
            if let trainingConcurrency { configuration.trainingConcurrency = trainingConcurrency }
            if let database { configuration.database = database }
            if let objectStore { configuration.objectStore = URL(fileURLWithPath: objectStore) }
            if let leaseSeconds {
                configuration.leaseSeconds = try DaemonConfiguration.validLeaseSeconds(leaseSeconds, given: "--lease-seconds \(leaseSeconds)")
            }
            if let advertiseHost {
                configuration.advertiseHost = try DaemonConfiguration.validAdvertiseHost(advertiseHost, given: "--advertise-host '\(advertiseHost)'")
            }
            if let instanceSlots {
                guard instanceSlots >= 1 else { throw ValidationError("--instance-slots must be 1 or more, got \(instanceSlots)") }
                configuration.instanceSlots = instanceSlots
            }
            configuration.allowRemote = allowRemote
            configuration.testHooks = testHooks
            try configuration.validate()
        } catch let error as DaemonConfigurationError {
            throw ValidationError(error.description)
        }
        let logger = try Self.logger(level: logLevel)
        let (host, home, portFile) = (configuration.host, configuration.home.path, portFile)
        do {
            let application = try buildApplication(configuration: configuration, logger: logger) { port in
                FileHandle.standardOutput.write(Data("Apiary \(Apiary.version) listening on http://\(host):\(port)  (data: \(home))\n".utf8))
                if let portFile { try? "\(port)\n".write(toFile: portFile, atomically: true, encoding: .utf8) }
            }
            try await application.runService()
        } catch let error as IOError where [EADDRINUSE, EADDRNOTAVAIL, EACCES].contains(error.errnoCode) {
            throw CLIError(Self.bindFailure(error.errnoCode, host: host, port: configuration.port), exitCode: 1)
        } catch let error as DaemonConfigurationError {
            // A database that does not answer, or whose schema is newer, is said at start.
            throw CLIError(error.description, exitCode: 1)
        }
    }

    /// `--advertise-host`, the same for `ctl serve` and `ctl worker`.
    static let advertiseHostHelp = ArgumentHelp(
        "With --database: the name other nodes reach this one at (default $APIARY_ADVERTISE_HOST, else this machine's host name).",
        discussion: "The worker that leads a multi-instance job's gang writes it into mpirun's hostfile for this node's workers; mpirun reaches it over ssh.")

    /// `--lease-seconds`, the same for `ctl serve` and `ctl worker`.
    static let leaseSecondsHelp = ArgumentHelp(
        "With --database: seconds a job's lease lasts without a heartbeat (default $APIARY_LEASE_SECONDS, else 60; 3 or more).",
        discussion: "A job whose daemon or worker died is taken over by another node this long after its last heartbeat; heartbeats come "
            + "every third of it.")

    /// The process's logger at `level` (`--log-level`).
    static func logger(level: String) throws -> Logger {
        guard let level = Logger.Level(rawValue: level) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        var logger = Logger(label: "apiary")
        logger.logLevel = level
        return logger
    }

    /// Why `host:port` could not be listened on, and how to choose another port.
    static func bindFailure(_ errno: CInt, host: String, port: Int) -> String {
        let fix = "choose another with --port N (or APIARY_PORT=N), or --port 0 for a free one, and point clients at it with APIARY_URL"
        return switch errno {
        case EADDRINUSE: "port \(port) on \(host) is already in use (another `ctl serve`?); \(fix)"
        case EACCES: "port \(port) on \(host) needs privileges to listen on; \(fix)"
        default: "cannot listen on \(host): the address is not this machine's; use --host 127.0.0.1 (or APIARY_HOST)"
        }
    }
}
