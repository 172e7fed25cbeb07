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
/// S3, Lambda and API Gateway on one port, over one SQLite state file, with the training queue's workers. Every long-lived
/// part is a `Service` in the application's one `ServiceGroup`; SIGTERM/SIGINT (`runService()`) shuts them down in reverse
/// order — the server stops taking requests, Lambda runtimes are killed, endpoint loads end, running training jobs
/// checkpoint and stay queued (to resume on the next start), and the home's lock is let go last.
/// - Parameter onReady: called with the bound port once listening.
/// - Throws: `DaemonConfigurationError`, `HomeLockError`, or an error opening a store.
public func buildApplication(
    configuration: DaemonConfiguration, logger: Logger, onReady: @escaping @Sendable (Int) -> Void = { _ in }
) throws -> some ApplicationProtocol {
    try configuration.validate()
    let home = configuration.home
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    let homeLock = try HomeLock(home: home)
    LambdaSandbox.lockDown(home: home)
    let store = try ControlPlaneStore.open(path: home.appendingPathComponent("state.sqlite").path)
    let objects = ObjectStore(root: home.appendingPathComponent("s3", isDirectory: true))
    // The labeling store (`$APIARY_HOME/labels.sqlite`), shared with `ctl labels` (WAL; several processes may open it).
    let labels = try LabelStore.open(path: home.appendingPathComponent("labels.sqlite").path)
    let endpoints = EndpointHost(store: store, objects: objects, logger: logger)
    objects.removeTemporaries()
    let lambdaRuntimes = LambdaRuntimes(
        root: home.appendingPathComponent("lambda", isDirectory: true), store: store, idleLimit: .seconds(configuration.lambdaIdleSeconds),
        initPhase: .seconds(configuration.lambdaInitSeconds), logger: logger)
    let queue = TrainingQueue(
        store: store, objects: objects, jobsDirectory: home.appendingPathComponent("jobs", isDirectory: true),
        concurrency: configuration.trainingConcurrency, logger: logger)
    try queue.recoverInterruptedJobs(now: AWSTimestamp.seconds(Date()))
    try endpoints.recover(onLoaded: EndpointOperations.recovered, onFailed: EndpointOperations.creationFailed)
    let reset: @Sendable () throws -> Void = {
        try queue.stopAll(at: AWSTimestamp.seconds(Date()))
        endpoints.removeAll()
        lambdaRuntimes.shutdown()
        try store.wipe()
        try objects.removeAllBuckets()
        try labels.removeAll()
    }
    let lambda = LambdaService(store: store, objects: objects, runtimes: lambdaRuntimes)
    let responses = LabelingJobResponses(controlPlane: store, labels: labels, objects: objects)
    let runtime = InvocationHandler(host: endpoints)
    let authenticator = EdgeAuthenticator(
        mode: configuration.authMode, verifier: SigV4Verifier(credentials: configuration.credentials), defaultRegion: configuration.defaultRegion)
    let responder = EdgeResponder(
        sageMaker: SageMakerService(store: store, scheduler: queue, endpointHost: endpoints, labels: labels, objects: objects),
        logs: LogsService(store: store),
        metrics: MetricsService(store: store),
        query: QueryProtocolService(account: configuration.account),
        runtime: runtime,
        s3: S3Service(
            store: objects,
            authentication: S3Authentication(
                mode: configuration.authMode, verifier: SigV4Verifier(credentials: configuration.credentials, pathStyle: .s3),
                defaultRegion: configuration.defaultRegion),
            logger: logger),
        lambda: lambda,
        restAPIs: RestAPIService(store: store),
        executeAPI: ExecuteAPI(store: store, lambda: lambda, account: configuration.account, logger: logger),
        labelUI: LabelUI(
            store: labels, session: LabelUISession(boundHost: configuration.host), assets: try LabelUIAssets(),
            predictions: LabelUIPredictions(runtime: runtime, account: configuration.account, region: configuration.defaultRegion),
            tasks: LabelUITasks(controlPlane: store, objects: objects), responses: responses),
        labelAPI: LabelAPI(store: labels, objects: objects, responses: responses),
        authenticator: authenticator,
        door: EdgeDoor(
            hosts: HostPolicy(boundHost: configuration.host, allowedHosts: configuration.allowedHosts), authenticator: authenticator,
            sessions: BrowserSessions(credentials: configuration.credentials)),
        account: configuration.account,
        reset: configuration.testHooks ? reset : nil,
        logger: logger
    )
    return Application(
        responder: responder,
        server: .http1(configuration: .init(additionalChannelHandlers: [HTTPContinueHandler()])),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Apiary"),
        // Started in this order, shut down in the reverse one, after the server.
        services: [
            homeLock, queue, endpoints, lambdaRuntimes, LambdaReaper(runtimes: lambdaRuntimes, clock: ContinuousClock()), MemoryReturn(),
        ],
        onServerRunning: { channel in
            lambdaRuntimes.setDaemonPort(channel.localAddress?.port ?? 0)
            onReady(channel.localAddress?.port ?? 0)
        },
        logger: logger
    )
}
