import AWSHTTP
import AWSProtocol
import ControlPlane
import EndpointRuntime
import Foundation
import Hummingbird
import LabelStore
import LambdaAPI
import Logging
import NIOCore
import ObjectStore
import S3API
import SageMakerAPI
import TrainingExecution

/// `ctl serve`'s application, built in one place: the SageMaker control plane, CloudWatch Logs and metrics, the runtime,
/// S3, Lambda and API Gateway on one port, over one SQLite state file (or a PostgreSQL database other daemons share), with the training queue's workers. Every long-lived
/// part is a `Service` in the application's one `ServiceGroup`; SIGTERM/SIGINT (`runService()`) shuts them down in reverse
/// order — the server stops taking requests, Lambda runtimes are killed, endpoint loads end, running training jobs
/// checkpoint and stay queued (to resume on the next start), and the home's lock is let go last.
/// - Parameter onReady: called with the bound port once listening.
/// - Throws: `DaemonConfigurationError`, `HomeLockError`, or an error opening a store.
public func buildApplication(
    configuration: DaemonConfiguration, logger: Logger, onReady: @escaping @Sendable (Int) -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let parts = try DaemonParts(configuration: configuration, logger: logger)
    try parts.queue.recoverInterruptedJobs()
    // On a shared database the endpoints are not this daemon's alone to load at start (nor to mark Failed when their
    // model is not here): each daemon loads one on its first invocation there (`EndpointHost.followed`).
    if configuration.database == nil {
        try parts.endpoints.recover(onLoaded: EndpointOperations.recovered, onFailed: EndpointOperations.creationFailed)
    }
    let lambdaRuntimes = parts.lambdaRuntimes
    return Application(
        responder: try parts.makeResponder(),
        server: .http1(configuration: .init(additionalChannelHandlers: [HTTPContinueHandler()])),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Apiary"),
        // Started in this order, shut down in the reverse one, after the server.
        services: [
            parts.homeLock, parts.queue, parts.endpoints, lambdaRuntimes, LambdaReaper(runtimes: lambdaRuntimes, clock: ContinuousClock()),
            MemoryReturn(),
        ],
        onServerRunning: { channel in
            lambdaRuntimes.setDaemonPort(channel.localAddress?.port ?? 0)
            onReady(channel.localAddress?.port ?? 0)
        },
        logger: logger
    )
}
