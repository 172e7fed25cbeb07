import AWSProtocol
import ArgumentParser
import Foundation
import JobService
import Logging
import ObjectStore

/// `ctl worker`: run the training and transform jobs of a shared PostgreSQL queue on this host, with no API.
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run queued training and transform jobs of a shared PostgreSQL database, with no API (a worker node).",
        discussion: """
            Claims jobs from the queue that `ctl serve --database` daemons share and runs them as their own workers \
            do, logging into the database's CloudWatch tables. Objects — channels, checkpoints, models, transform \
            outputs — go through a daemon's S3 API (--endpoint-url, signed with AWS_ACCESS_KEY_ID and \
            AWS_SECRET_ACCESS_KEY; channels are downloaded into this worker's home first, as SageMaker's File mode \
            does), or through an object store directory every node shares (--object-store; the daemons take the \
            same directory). Every epoch's checkpoint is stored in the object store too, so a job whose worker died \
            resumes on any node. SIGTERM or Ctrl-C stops gracefully: running jobs checkpoint and stay queued. \
            Environment: APIARY_DATABASE, APIARY_HOME, APIARY_TRAINING_CONCURRENCY, \
            APIARY_LEASE_SECONDS, APIARY_ADVERTISE_HOST, AWS_REGION. A training job on N instances runs when N \
            workers of any nodes are idle (a gang): the first one's mpirun starts the ranks on the others' hosts \
            (--advertise-host) over ssh.

            Examples:
              ctl worker --database postgresql://apiary@db/apiary \\
                  --endpoint-url http://daemon-host:4566 &
              ctl worker --database postgresql://apiary@db/apiary --object-store /mnt/s3 &
            """
    )

    @Option(help: "The PostgreSQL database the daemons share (postgresql://user@host:port/database; default $APIARY_DATABASE).")
    var database: String?

    @Option(help: "A daemon's URL, whose S3 API holds the objects (no shared directory needed).")
    var endpointURL: String?

    @Option(help: "The object store directory every node shares (default the home's s3/), instead of --endpoint-url.")
    var objectStore: String?

    @Option(help: "Data directory for this worker's jobs: checkpoints, downloaded channels (default $APIARY_HOME or ~/.apiary; not a daemon's home).")
    var home: String?

    @Option(help: "Jobs run at once (default 1).")
    var concurrency: Int?

    @Option(help: Serve.leaseSecondsHelp)
    var leaseSeconds: Double?

    @Option(help: Serve.advertiseHostHelp)
    var advertiseHost: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func run() async throws {
        do {
            var configuration = try DaemonConfiguration.fromEnvironment()
            if let database { configuration.database = database }
            if let objectStore { configuration.objectStore = URL(fileURLWithPath: objectStore) }
            if let endpointURL {
                guard let url = URL(string: endpointURL), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                    throw CLIError("--endpoint-url must be an http(s) URL such as http://daemon-host:4566, got '\(endpointURL)'", exitCode: 64)
                }
                configuration.objectEndpoint = S3Endpoint(url: url, credentials: ClientCredentials(environment: ProcessInfo.processInfo.environment))
            }
            if let home { configuration.home = URL(fileURLWithPath: home) }
            if let concurrency { configuration.trainingConcurrency = concurrency }
            if let advertiseHost {
                configuration.advertiseHost = try DaemonConfiguration.validAdvertiseHost(advertiseHost, given: "--advertise-host '\(advertiseHost)'")
            }
            if let leaseSeconds {
                configuration.leaseSeconds = try DaemonConfiguration.validLeaseSeconds(leaseSeconds, given: "--lease-seconds \(leaseSeconds)")
            }
            try await runWorker(configuration: configuration, logger: try Serve.logger(level: logLevel))
        } catch let error as DaemonConfigurationError {
            throw CLIError(error.description, exitCode: 1)
        } catch let error as HomeLockError {
            throw CLIError(error.description, exitCode: 1)
        }
    }
}
