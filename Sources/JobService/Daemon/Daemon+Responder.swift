import AWSProtocol
import Foundation

extension Daemon {
    /// The daemon's one router: every surface of the port over this daemon's stores, as `run` serves it — and as the
    /// router-level tests call it, request by request, without a socket.
    func makeResponder() throws -> EdgeResponder {
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
    }
}
