import AWSProtocol
import Foundation
import Hummingbird
import LabelStore
import Logging
import NIOCore
import ObjectStore

/// `ctl serve`: the SageMaker control plane, CloudWatch Logs and (as they land) the runtime and S3, on one
/// port, over one SQLite state file, with the training queue's workers. Stops gracefully on SIGTERM/SIGINT:
/// running jobs checkpoint and stay queued, to resume on the next start.
public final class Daemon: Sendable {
    public let configuration: DaemonConfiguration
    let store: ControlPlaneStore
    let objects: ObjectStore
    /// The labeling store (`$APIARY_HOME/labels.sqlite`), shared with `ctl labels` (WAL; several processes may open it).
    let labels: LabelStore
    let queue: TrainingQueue
    let endpoints: EndpointHost
    let lambdaRuntimes: LambdaRuntimes
    let logger: Logger
    /// This daemon's exclusive claim on its home (a second daemon there is refused).
    let homeLock: HomeLock

    public init(configuration: DaemonConfiguration, logger: Logger = Logger(label: "apiary")) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        let home = configuration.home
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        homeLock = try HomeLock(home: home)
        LambdaSandbox.lockDown(home: home)
        store = try ControlPlaneStore.open(path: home.appendingPathComponent("state.sqlite").path)
        objects = ObjectStore(root: home.appendingPathComponent("s3", isDirectory: true))
        labels = try LabelStore.open(path: home.appendingPathComponent("labels.sqlite").path)
        endpoints = EndpointHost(store: store, objects: objects, logger: logger)
        objects.removeTemporaries()
        lambdaRuntimes = LambdaRuntimes(
            root: home.appendingPathComponent("lambda", isDirectory: true), store: store, idleLimit: .seconds(configuration.lambdaIdleSeconds),
            initPhase: .seconds(configuration.lambdaInitSeconds), logger: logger)
        let worker = TrainingWorker(store: store, objects: objects, jobsDirectory: home.appendingPathComponent("jobs", isDirectory: true), logger: logger)
        let transformWorker = TransformWorker(store: store, objects: objects, logger: logger)
        queue = TrainingQueue(
            jobs: SQLiteJobQueue(store: store), concurrency: configuration.trainingConcurrency, clock: { AWSTimestamp.seconds(Date()) },
            logger: logger
        ) { job, control in
            if job.kind == .transformJob { transformWorker.run(job.name, control: control) } else { worker.run(job.name, control: control) }
        }
    }

    /// Serves until SIGTERM/SIGINT. - Parameter onReady: called with the bound port once listening.
    public func run(onReady: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        try queue.start()
        try endpoints.recover(onLoaded: EndpointOperations.recovered, onFailed: EndpointOperations.creationFailed)
        let (store, queue, endpoints, lambdaRuntimes, objects, labels) = (self.store, self.queue, self.endpoints, self.lambdaRuntimes, self.objects, self.labels)
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
        let app = Application(
            responder: responder,
            server: .http1(configuration: .init(additionalChannelHandlers: [HTTPContinueHandler()])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Apiary"),
            onServerRunning: { channel in
                lambdaRuntimes.setDaemonPort(channel.localAddress?.port ?? 0)
                onReady(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
        let trimming = Task { await MemoryReturn.run() }
        defer { trimming.cancel() }
        try await app.runService()
        lambdaRuntimes.close()
        logger.info("shutting down: checkpointing running training jobs")
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                queue.shutdown()
                done.resume()
            }.start()
        }
    }
}
