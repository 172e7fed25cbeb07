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
import PostgresControlPlane
import S3API
import SageMakerAPI
import TrainingExecution

/// The daemon's parts over one home — its stores, the training queue, the endpoint host and the Lambda runtimes — and
/// the one router over them (`makeResponder`), which `buildApplication` serves and the router-level tests call without
/// a socket.
final class DaemonParts: Sendable {
    let configuration: DaemonConfiguration
    let logger: Logger
    /// This daemon's exclusive claim on its home (a second daemon there is refused).
    let homeLock: HomeLock
    let store: ControlPlaneStore
    let objects: ObjectStore
    /// The labeling store: `$APIARY_HOME/labels.sqlite`, which the daemon is the only process to open, or with a shared
    /// database the label tables every daemon on it serves.
    let labels: LabelStore
    let endpoints: EndpointHost
    let lambdaRuntimes: LambdaRuntimes
    let queue: TrainingQueue

    init(configuration: DaemonConfiguration, logger: Logger) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        let home = configuration.home
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        homeLock = try HomeLock(home: home)
        LambdaSandbox.lockDown(home: home)
        objects = ObjectStore(root: configuration.objectStoreDirectory)
        let queueParts = try QueueParts(configuration: configuration, objects: objects, logger: logger)
        (store, queue) = (queueParts.store, queueParts.queue)
        labels = try Self.openLabels(home: home, sharedDatabase: queueParts.sharedDatabase)
        endpoints = EndpointHost(store: store, objects: objects, logger: logger, sharedControlPlane: configuration.database != nil)
        // A directory other nodes share (--object-store) may hold their uploads in flight.
        if configuration.objectStore == nil { objects.removeTemporaries() }
        lambdaRuntimes = LambdaRuntimes(
            root: LambdaRuntimes.root(home: home), store: store, idleLimit: .seconds(configuration.lambdaIdleSeconds),
            initPhase: .seconds(configuration.lambdaInitSeconds), logger: logger)
    }

    /// The label store in the shared database when there is one (so a label revision check holds across daemons),
    /// else in the home's `labels.sqlite`.
    /// - Throws: `DaemonConfigurationError` when the shared database refuses the label tables' migration.
    private static func openLabels(home: URL, sharedDatabase: PostgresConnections?) throws -> LabelStore {
        guard let sharedDatabase else { return try LabelStore.open(path: home.appendingPathComponent("labels.sqlite").path) }
        do {
            return LabelStore(database: try PostgresLabelDatabase(connections: sharedDatabase))
        } catch let error as PostgresDatabaseError {
            throw DaemonConfigurationError(error.description)
        }
    }

    /// The daemon's one router: every surface of the port over these stores.
    func makeResponder() throws -> EdgeResponder {
        let (configuration, logger) = (self.configuration, self.logger)
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
        return EdgeResponder(
            sageMaker: SageMakerService(
                store: store, scheduler: queue, endpointHost: endpoints, labels: labels, objects: objects, instanceSlots: configuration.instanceSlots),
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
    }
}
