import AWSProtocol
import ControlPlane
import Foundation
import Logging
import ObjectStore
import Prometheus

/// The endpoints this daemon serves: loads deployments on their own threads (an HTTP request never waits for a
/// model to load), swaps an updated deployment in atomically (requests already running finish on the old
/// one, which is released when the last of them ends), and brings endpoints back after a restart. On a control
/// plane other daemons share, every invocation follows the endpoint's record (`followed`): the endpoints other daemons
/// deployed are served here too, and an update or deletion made through any daemon reaches this one.
package final class EndpointHost: @unchecked Sendable {
    /// Document members that hold the deployment snapshots; never shown by DescribeEndpoint.
    package static let deploymentKey = "ApiaryDeployment"
    package static let pendingDeploymentKey = "ApiaryPendingDeployment"

    /// Also where the runtime writes the endpoints' logs (`EndpointLog`).
    let store: ControlPlaneStore
    private let objects: ObjectStore
    private let logger: Logger
    /// Other daemons share `store` (a PostgreSQL database): an endpoint one of them deployed is served here too.
    private let sharedControlPlane: Bool
    private let lock = NSLock()
    private var serving: [String: DeployedEndpoint] = [:]
    /// On a shared control plane, the deployments loaded here because an endpoint's record names one this daemon did
    /// not load itself (another daemon deployed or updated the endpoint): which deployment (`DeployedEndpoint.source`)
    /// and its load, shared by the invocations that wait for it. A load that failed is dropped, so that the next
    /// invocation tries again.
    private var adoptions: [String: (source: String, load: Task<DeployedEndpoint, any Error>)] = [:]
    /// Endpoints loading again after a restart (the store already says InService), with the invocations waiting for
    /// them: such an endpoint answers once its model is back, never "not found".
    private var recovering: [String: [CheckedContinuation<DeployedEndpoint?, Never>]] = [:]
    private var metricsByEndpoint: [String: EndpointMetrics] = [:]
    /// Every endpoint's series, as `/metrics` shows them.
    package let registry = PrometheusCollectorRegistry()
    /// Deployments loading now (each on its own thread), and who waits for them all to end.
    private var loading = 0
    private var loadsEnded: [CheckedContinuation<Void, Never>] = []

    /// - Parameter sharedControlPlane: other daemons share `store`, so that the endpoints they deployed are
    ///   served here as well (from `objects`, which must then be the object store they share).
    package init(store: ControlPlaneStore, objects: ObjectStore, logger: Logger, sharedControlPlane: Bool = false) {
        self.store = store
        self.objects = objects
        self.logger = logger
        self.sharedControlPlane = sharedControlPlane
    }

    /// The deployment serving `name`, if it is InService or Updating.
    package func deployment(_ name: String) -> DeployedEndpoint? { lock.withLock { serving[name] } }

    /// The deployment serving `name`, waiting for it when it is loading again after a restart.
    func deploymentWhenRecovered(_ name: String) async -> DeployedEndpoint? {
        await withCheckedContinuation { continuation in
            let ready: DeployedEndpoint?? = lock.withLock {
                if let deployed = serving[name] { return .some(deployed) }
                guard recovering[name] != nil else { return .some(nil) }
                recovering[name]!.append(continuation)
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The deployment that answers an invocation of `name`: this daemon's own, waiting for it when it is loading
    /// again after a restart; on a shared control plane, the one the endpoint's record names now (`followed`).
    /// - Throws: `AWSError` when a deployment made through another daemon cannot be loaded here; the store's errors.
    func deploymentToInvoke(_ name: String) async throws -> DeployedEndpoint? {
        sharedControlPlane ? try await followed(name) : await deploymentWhenRecovered(name)
    }

    /// What answers an invocation on a shared control plane.
    private enum Followed {
        case loaded(DeployedEndpoint)
        case loading(Task<DeployedEndpoint, any Error>)
    }

    /// On a shared control plane, the deployment `name`'s record names now — each invocation reads the record, so an
    /// UpdateEndpoint or DeleteEndpoint made through any daemon reaches this one: this daemon's own when it loaded
    /// that deployment, else one loaded here from the object store on a thread of its own (the first invocation of an
    /// endpoint another daemon deployed, or the first after another daemon updated it), and the deployment it replaces
    /// let go. nil for an endpoint not InService or Updating; nil, and whatever was loaded for it let go, once the
    /// record is gone. While the database does not answer, the deployment loaded here last goes on answering.
    /// - Throws: `AWSError` when the deployment cannot be loaded here (the next invocation tries again); the store's
    ///   errors when it does not answer and nothing is loaded for `name`.
    private func followed(_ name: String) async throws -> DeployedEndpoint? {
        let record: ResourceRecord?
        do {
            record = try store.resource(.endpoint, named: name)
        } catch {
            guard let held = lock.withLock({ serving[name].map(Followed.loaded) ?? adoptions[name].map { Followed.loading($0.load) } }) else {
                throw error
            }
            logger.warning("endpoint answers from the deployment loaded here: its record cannot be read", metadata: ["endpoint": "\(name)", "error": "\(error)"])
            return try await loaded(held, name)
        }
        guard let record else {
            if remove(name) { logger.info("endpoint let go here: it was deleted through another daemon", metadata: ["endpoint": "\(name)"]) }
            return nil
        }
        guard [.inService, .updating].contains(record.status(as: EndpointStatus.self)), let snapshot = record.document[Self.deploymentKey] else {
            return nil
        }
        let source = DeployedEndpoint.source(of: snapshot)
        let found = lock.withLock { () -> Followed in
            if let own = serving[name] {
                if own.source == source { return .loaded(own) }
                // Updated through another daemon: the new deployment loads below, and requests running on this one finish.
                serving[name] = nil
            }
            if let adoption = adoptions[name], adoption.source == source { return .loading(adoption.load) }
            logger.info("endpoint another daemon deployed loads here", metadata: ["endpoint": "\(name)"])
            let load = Task<DeployedEndpoint, any Error> {
                try await withCheckedThrowingContinuation { continuation in
                    let thread = Thread { [self] in
                        continuation.resume(with: Result { try DeployedEndpoint.load(snapshot: snapshot, objects: objects, endpoint: name, metrics: metrics(name)) })
                    }
                    thread.name = "apiary-adopt-\(name)"
                    thread.start()
                }
            }
            adoptions[name] = (source, load)
            return .loading(load)
        }
        return try await loaded(found, name)
    }

    /// The deployment `found` is, once loaded. - Throws: `AWSError` when its load failed, which is then dropped.
    private func loaded(_ found: Followed, _ name: String) async throws -> DeployedEndpoint {
        switch found {
        case .loaded(let deployed):
            return deployed
        case .loading(let load):
            do {
                return try await load.value
            } catch {
                lock.withLock { if adoptions[name]?.load == load { adoptions[name] = nil } }
                throw AWSError(
                    "ValidationError",
                    "Endpoint \(name) was deployed (or last updated) by another Apiary daemon and its model cannot be loaded here (\(error)): "
                        + "put the model where this daemon's object store has it (the next invocation tries again), invoke the endpoint "
                        + "through that daemon, or give every daemon the same --object-store.")
            }
        }
    }

    /// The endpoints serving now, by name.
    package var servingNames: [String] { lock.withLock { serving.keys.sorted() } }

    func metrics(_ name: String) -> EndpointMetrics {
        lock.withLock {
            if let metrics = metricsByEndpoint[name] { return metrics }
            let metrics = EndpointMetrics(endpoint: name, registry: registry)
            metricsByEndpoint[name] = metrics
            return metrics
        }
    }

    /// Loads `snapshot` in the background, then installs it and records the outcome on the endpoint.
    /// - Parameters:
    ///   - installed: changes the record once the deployment serves.
    ///   - failed: changes the record when loading failed (with the FailureReason).
    package func deploy(
        _ name: String, snapshot: JSONValue,
        installed: @escaping @Sendable (inout ResourceRecord, DeployedEndpoint, Double) throws -> Void,
        failed: @escaping @Sendable (inout ResourceRecord, String, Double) throws -> Void
    ) {
        lock.withLock { loading += 1 }
        let thread = Thread { [self] in
            defer { loadEnded() }
            let metrics = metrics(name)
            let result = Result { try DeployedEndpoint.load(snapshot: snapshot, objects: objects, endpoint: name, metrics: metrics) }
            let now = AWSTimestamp.seconds(Date())
            defer {
                let (waiters, deployed) = lock.withLock { (recovering.removeValue(forKey: name) ?? [], serving[name]) }
                waiters.forEach { $0.resume(returning: deployed) }
            }
            do {
                try lock.withLock {
                    switch result {
                    case .success(let deployed):
                        // Installed only if the endpoint still exists (it may have been deleted while loading).
                        if try store.update(.endpoint, named: name, { try installed(&$0, deployed, now) }) != nil {
                            serving[name] = deployed
                            // What the record names now is this daemon's own: nothing loaded for it otherwise is needed.
                            adoptions[name] = nil
                        }
                    case .failure(let error):
                        try store.update(.endpoint, named: name) { try failed(&$0, "\(error)", now) }
                    }
                }
            } catch {
                logger.error("endpoint bookkeeping failed", metadata: ["endpoint": "\(name)", "error": "\(error)"])
            }
            logger.info("endpoint deployment finished", metadata: ["endpoint": "\(name)", "ok": "\((try? result.get()) != nil)"])
        }
        thread.name = "apiary-deploy-\(name)"
        thread.start()
    }

    private func loadEnded() {
        let waiters: [CheckedContinuation<Void, Never>] = lock.withLock {
            loading -= 1
            guard loading == 0 else { return [] }
            defer { loadsEnded = [] }
            return loadsEnded
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns once no deployment is loading (at shutdown: no load thread writes to the store after the daemon stops).
    func loadsFinished() async {
        await withCheckedContinuation { continuation in
            let idle = lock.withLock {
                if loading == 0 { return true }
                loadsEnded.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Stops serving `name`: new requests are refused; running ones finish on the deployment they hold.
    /// - Returns: whether a deployment of `name` was loaded (or loading) here.
    @discardableResult
    package func remove(_ name: String) -> Bool {
        lock.withLock {
            metricsByEndpoint.removeValue(forKey: name)?.unregister()
            let own = serving.removeValue(forKey: name) != nil
            let adopted = adoptions.removeValue(forKey: name) != nil
            return own || adopted
        }
    }

    package func removeAll() {
        lock.withLock {
            serving.removeAll()
            adoptions.removeAll()
            metricsByEndpoint.values.forEach { $0.unregister() }
            metricsByEndpoint.removeAll()
        }
    }

    /// After a start: endpoints that were serving (or being created or updated) load again.
    package func recover(onLoaded: @escaping @Sendable (inout ResourceRecord, DeployedEndpoint, Double) throws -> Void,
                 onFailed: @escaping @Sendable (inout ResourceRecord, String, Double) throws -> Void) throws {
        for endpoint in try store.resources(.endpoint) where [.inService, .creating, .updating].contains(endpoint.status(as: EndpointStatus.self)) {
            guard let snapshot = endpoint.document[Self.deploymentKey] else { continue }
            logger.info("endpoint loads again after a restart", metadata: ["endpoint": "\(endpoint.name)"])
            lock.withLock { recovering[endpoint.name] = recovering[endpoint.name] ?? [] }
            deploy(endpoint.name, snapshot: snapshot, installed: onLoaded, failed: onFailed)
        }
    }

    /// `name`'s figures; zeros for an endpoint that has served nothing since it was deployed or the daemon started.
    package func figures(_ name: String) -> EndpointFigures {
        lock.withLock { metricsByEndpoint[name] }?.snapshot
            ?? EndpointFigures(latencyBuckets: EndpointMetrics.latencyBuckets, batchBuckets: EndpointMetrics.batchBuckets)
    }
}
