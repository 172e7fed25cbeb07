import AWSProtocol
import ControlPlane

/// The endpoint state machine of SageMaker (spec §8.2), applied to a stored endpoint: status, configuration,
/// variants, pending update and failure reason move together, and only along the transitions the real service
/// makes — Creating → InService | Failed; InService → Updating → InService (on the new configuration, or on the old
/// one with a FailureReason when the update did not load); any → Deleting. Loading itself is `EndpointHost`'s.
package enum EndpointLifecycle {
    /// Something that happens to an endpoint.
    package enum Event {
        /// UpdateEndpoint accepted: `snapshot` (the new configuration and its models) loads beside the serving one.
        case updateRequested(configName: String, snapshot: JSONValue, deploymentConfig: JSONValue?)
        /// A deployment loaded and serves: its configuration's name and the variants as DescribeEndpoint shows them.
        case loaded(configName: String, variants: JSONValue)
        /// After a restart, the deployment serving before it loaded again; an update the restart interrupted is not
        /// resumed, and FailureReason says so.
        case reloaded(configName: String, variants: JSONValue)
        /// A new endpoint's models (or, after a restart, its serving ones) did not load.
        case loadFailed(reason: String)
        /// An update's models did not load: the old deployment keeps serving.
        case updateFailed(reason: String)
        /// DeleteEndpoint.
        case deleteRequested
    }

    /// An event the endpoint's current state does not allow.
    package struct IllegalTransition: Error, CustomStringConvertible {
        var status: EndpointStatus
        var event: Event
        package var description: String { "endpoint in status \(status.rawValue) cannot take \(event)" }
    }

    /// The stored document of an endpoint just created: Creating, with the deployment `snapshot` to load.
    package static func created(
        name: String,
        arn: String,
        configName: JSONValue,
        deploymentConfig: JSONValue?,
        snapshot: JSONValue,
        at time: Double
    ) -> JSONValue {
        var document: JSONValue = [
            "EndpointName": .string(name), "EndpointArn": .string(arn), "EndpointConfigName": configName,
            "EndpointStatus": .string(EndpointStatus.creating.rawValue), "CreationTime": .double(time), "LastModifiedTime": .double(time),
        ]
        if let deploymentConfig { document["LastDeploymentConfig"] = deploymentConfig }
        document[EndpointHost.deploymentKey] = snapshot
        return document
    }

    /// Applies `event` at `time`. - Throws: `IllegalTransition` when the current state does not allow it.
    package static func apply(_ event: Event, to endpoint: inout ResourceRecord, at time: Double) throws {
        let status = endpoint.status(as: EndpointStatus.self) ?? .creating
        switch (status, event) {
        case (.inService, .updateRequested(let configName, let snapshot, let deploymentConfig)),
            (.failed, .updateRequested(let configName, let snapshot, let deploymentConfig)):
            endpoint.document["FailureReason"] = nil
            endpoint.document["PendingDeploymentSummary"] = ["EndpointConfigName": .string(configName), "StartTime": .double(time)]
            endpoint.document[EndpointHost.pendingDeploymentKey] = snapshot
            if let deploymentConfig { endpoint.document["LastDeploymentConfig"] = deploymentConfig }
            set(&endpoint, .updating, at: time)
        case (.creating, .loaded(let configName, let variants)), (.updating, .loaded(let configName, let variants)):
            serve(&endpoint, configName: configName, variants: variants, at: time)
        case (.creating, .reloaded(let configName, let variants)), (.inService, .reloaded(let configName, let variants)),
            (.updating, .reloaded(let configName, let variants)):
            if endpoint.document[EndpointHost.pendingDeploymentKey] != nil {
                let wanted = endpoint.document["PendingDeploymentSummary"]?["EndpointConfigName"]?.stringValue ?? "the new configuration"
                endpoint.document[EndpointHost.pendingDeploymentKey] = nil
                endpoint.document["FailureReason"] = .string(
                    "The update to \(wanted) was interrupted by a restart of the daemon; the endpoint keeps its previous configuration "
                        + "\(configName). Call UpdateEndpoint again."
                )
            }
            serve(&endpoint, configName: configName, variants: variants, at: time)
        case (.creating, .loadFailed(let reason)), (.inService, .loadFailed(let reason)), (.updating, .loadFailed(let reason)):
            endpoint.document["FailureReason"] = .string(String(reason.prefix(1024)))
            set(&endpoint, .failed, at: time)
        case (.updating, .updateFailed(let reason)):
            endpoint.document[EndpointHost.pendingDeploymentKey] = nil
            endpoint.document["PendingDeploymentSummary"] = nil
            endpoint.document["FailureReason"] = .string(
                String(("Update failed; the endpoint keeps its previous configuration. " + reason).prefix(1024))
            )
            set(&endpoint, .inService, at: time)
        case (_, .deleteRequested):
            endpoint.status = EndpointStatus.deleting.rawValue
            endpoint.document["EndpointStatus"] = .string(EndpointStatus.deleting.rawValue)
        default:
            throw IllegalTransition(status: status, event: event)
        }
    }

    /// InService on the deployment that loaded (a pending one becomes the serving one).
    private static func serve(_ endpoint: inout ResourceRecord, configName: String, variants: JSONValue, at time: Double) {
        if let pending = endpoint.document[EndpointHost.pendingDeploymentKey] { endpoint.document[EndpointHost.deploymentKey] = pending }
        endpoint.document[EndpointHost.pendingDeploymentKey] = nil
        endpoint.document["PendingDeploymentSummary"] = nil
        endpoint.document["EndpointConfigName"] = .string(configName)
        endpoint.document["ProductionVariants"] = variants
        set(&endpoint, .inService, at: time)
    }

    private static func set(_ endpoint: inout ResourceRecord, _ status: EndpointStatus, at time: Double) {
        endpoint.status = status.rawValue
        endpoint.lastModifiedTime = time
        endpoint.document["EndpointStatus"] = .string(status.rawValue)
        endpoint.document["LastModifiedTime"] = .double(time)
    }
}
