import AWSProtocol
import ControlPlane
import Foundation
import Logging
import ObjectStore
import Prometheus

/// The endpoints this daemon serves: loads deployments on their own threads (an HTTP request never waits for a
/// model to load), swaps an updated deployment in atomically (requests already running finish on the old
/// one, which is released when the last of them ends), and brings endpoints back after a restart. On a control
/// plane other daemons share, it also serves the endpoints they deployed (`adopted`).
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
    /// Endpoints another daemon deployed, loaded here on their first invocation: the deployment snapshot loaded and
    /// its load (shared by the invocations that wait for it).
    private var adoptions: [String: (snapshot: JSONValue, load: Task<DeployedEndpoint, any Error>)] = [:]
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
    /// again after a restart; on a shared control plane, else the one another daemon deployed (`adopted`).
    /// - Throws: `AWSError` when another daemon's endpoint cannot be loaded here; the store's errors.
    func deploymentToInvoke(_ name: String) async throws -> DeployedEndpoint? {
        if let own = await deploymentWhenRecovered(name) { return own }
        return sharedControlPlane ? try await adopted(name) : nil
    }

    /// An endpoint InService (or Updating) that another daemon sharing the control plane deployed, loaded here from
    /// the object store on its first invocation — and again when its record names another deployment (an update) —
    /// on a thread of its own; nil (and let go) once the record is gone or no longer serving.
    private func adopted(_ name: String) async throws -> DeployedEndpoint? {
        let record = try store.resource(.endpoint, named: name)
        guard let record, [.inService, .updating].contains(record.status(as: EndpointStatus.self)),
            let snapshot = record.document[Self.deploymentKey]
        else {
            lock.withLock { adoptions[name] = nil }
            return nil
        }
        let load = lock.withLock {
            if let adoption = adoptions[name], adoption.snapshot == snapshot { return adoption.load }
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
            adoptions[name] = (snapshot, load)
            return load
        }
        do {
            return try await load.value
        } catch {
            throw AWSError(
                "ValidationError",
                "Endpoint \(name) was deployed by another Apiary daemon and its model cannot be loaded here (\(error)): invoke it through "
                    + "that daemon, or give every daemon the same --object-store.")
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
                        if try store.update(.endpoint, named: name, { try installed(&$0, deployed, now) }) != nil { serving[name] = deployed }
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
    package func remove(_ name: String) {
        lock.withLock {
            serving[name] = nil
            adoptions[name] = nil
            metricsByEndpoint.removeValue(forKey: name)?.unregister()
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
