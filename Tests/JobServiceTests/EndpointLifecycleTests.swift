@testable import SageMakerAPI
@testable import TrainingExecution
@testable import EndpointRuntime
@testable import ControlPlane
import AWSProtocol
import Testing

@testable import JobService

/// Every transition of the endpoint state machine (spec §8.2), legal and illegal, on the stored record alone.
@Suite struct EndpointLifecycleTests {
    typealias Event = EndpointLifecycle.Event

    let variants: JSONValue = [["VariantName": "AllTraffic", "CurrentInstanceCount": 1]]
    let snapshot: JSONValue = ["config": "c1"]
    let newSnapshot: JSONValue = ["config": "c2"]

    func newEndpoint(at time: Double = 100) -> ResourceRecord {
        ResourceRecord(
            kind: .endpoint,
            name: "e",
            arn: "arn",
            creationTime: time,
            lastModifiedTime: time,
            status: "Creating",
            document: EndpointLifecycle.created(
                name: "e",
                arn: "arn",
                configName: "c1",
                deploymentConfig: ["AutoRollbackConfiguration": [:]],
                snapshot: snapshot,
                at: time
            )
        )
    }

    func inService() throws -> ResourceRecord {
        var endpoint = newEndpoint()
        try EndpointLifecycle.apply(.loaded(configName: "c1", variants: variants), to: &endpoint, at: 101)
        return endpoint
    }

    func updating() throws -> ResourceRecord {
        var endpoint = try inService()
        try EndpointLifecycle.apply(.updateRequested(configName: "c2", snapshot: newSnapshot, deploymentConfig: nil), to: &endpoint, at: 102)
        return endpoint
    }

    func status(_ endpoint: ResourceRecord) -> String? {
        #expect(endpoint.document["EndpointStatus"]?.stringValue == endpoint.status, "the column and the document agree")
        return endpoint.status
    }

    @Test func createdIsCreatingWithItsDeploymentToLoad() {
        let endpoint = newEndpoint()
        #expect(status(endpoint) == "Creating")
        #expect(endpoint.document["EndpointConfigName"] == "c1")
        #expect(endpoint.document["CreationTime"] == .double(100) && endpoint.document["LastModifiedTime"] == .double(100))
        #expect(endpoint.document["LastDeploymentConfig"] == ["AutoRollbackConfiguration": [:]])
        #expect(endpoint.document[EndpointHost.deploymentKey] == snapshot)
    }

    @Test func creatingLoadedIsInServiceWithItsVariants() throws {
        let endpoint = try inService()
        #expect(status(endpoint) == "InService")
        #expect(endpoint.document["ProductionVariants"] == variants)
        #expect(endpoint.lastModifiedTime == 101 && endpoint.document["LastModifiedTime"] == .double(101))
    }

    @Test func creatingLoadFailedIsFailedWithTheReasonWithinTheModelsLimit() throws {
        var endpoint = newEndpoint()
        try EndpointLifecycle.apply(.loadFailed(reason: String(repeating: "x", count: 2000)), to: &endpoint, at: 101)
        #expect(status(endpoint) == "Failed")
        #expect(endpoint.document["FailureReason"]?.stringValue?.count == 1024)
    }

    @Test func inServiceUpdateRequestedIsUpdatingWithThePendingDeployment() throws {
        let endpoint = try updating()
        #expect(status(endpoint) == "Updating")
        #expect(endpoint.document["PendingDeploymentSummary"] == ["EndpointConfigName": "c2", "StartTime": .double(102)])
        #expect(endpoint.document[EndpointHost.pendingDeploymentKey] == newSnapshot)
        #expect(endpoint.document["EndpointConfigName"] == "c1", "the old configuration serves until the new one has loaded")
    }

    @Test func updatingLoadedServesTheNewConfiguration() throws {
        var endpoint = try updating()
        try EndpointLifecycle.apply(.loaded(configName: "c2", variants: variants), to: &endpoint, at: 103)
        #expect(status(endpoint) == "InService")
        #expect(endpoint.document["EndpointConfigName"] == "c2")
        #expect(endpoint.document[EndpointHost.deploymentKey] == newSnapshot)
        #expect(endpoint.document[EndpointHost.pendingDeploymentKey] == nil && endpoint.document["PendingDeploymentSummary"] == nil)
    }

    @Test func updatingUpdateFailedKeepsTheOldConfigurationWithTheReason() throws {
        var endpoint = try updating()
        try EndpointLifecycle.apply(.updateFailed(reason: "model m2 has no artifact"), to: &endpoint, at: 103)
        #expect(status(endpoint) == "InService")
        #expect(endpoint.document["EndpointConfigName"] == "c1")
        #expect(endpoint.document[EndpointHost.deploymentKey] == snapshot)
        #expect(endpoint.document[EndpointHost.pendingDeploymentKey] == nil && endpoint.document["PendingDeploymentSummary"] == nil)
        #expect(endpoint.document["FailureReason"] == "Update failed; the endpoint keeps its previous configuration. model m2 has no artifact")
    }

    @Test func aFailedEndpointMayBeUpdatedAndTheUpdateClearsTheReason() throws {
        var endpoint = newEndpoint()
        try EndpointLifecycle.apply(.loadFailed(reason: "r"), to: &endpoint, at: 101)
        try EndpointLifecycle.apply(.updateRequested(configName: "c2", snapshot: newSnapshot, deploymentConfig: nil), to: &endpoint, at: 102)
        #expect(status(endpoint) == "Updating")
        #expect(endpoint.document["FailureReason"] == nil)
    }

    @Test func reloadedAfterARestartServesAgainAndNamesAnInterruptedUpdate() throws {
        var serving = try inService()
        try EndpointLifecycle.apply(.reloaded(configName: "c1", variants: variants), to: &serving, at: 200)
        #expect(status(serving) == "InService" && serving.document["FailureReason"] == nil)
        var interrupted = try updating()
        try EndpointLifecycle.apply(.reloaded(configName: "c1", variants: variants), to: &interrupted, at: 200)
        #expect(status(interrupted) == "InService")
        #expect(interrupted.document["EndpointConfigName"] == "c1")
        #expect(interrupted.document[EndpointHost.deploymentKey] == snapshot)
        #expect(interrupted.document["FailureReason"]?.stringValue?.hasPrefix("The update to c2 was interrupted by a restart") == true)
        var creating = newEndpoint()
        try EndpointLifecycle.apply(.reloaded(configName: "c1", variants: variants), to: &creating, at: 200)
        #expect(status(creating) == "InService")
    }

    @Test func aServingEndpointThatDoesNotLoadAfterARestartFails() throws {
        for var endpoint in [try inService(), try updating()] {
            try EndpointLifecycle.apply(.loadFailed(reason: "gone"), to: &endpoint, at: 200)
            #expect(status(endpoint) == "Failed")
        }
    }

    @Test func anyEndpointMayBeDeleted() throws {
        var failed = newEndpoint()
        try EndpointLifecycle.apply(.loadFailed(reason: "r"), to: &failed, at: 101)
        for var endpoint in [newEndpoint(), try inService(), try updating(), failed] {
            try EndpointLifecycle.apply(.deleteRequested, to: &endpoint, at: 300)
            #expect(status(endpoint) == "Deleting")
        }
    }

    @Test(
        "events a state does not allow are refused and change nothing",
        arguments: [
            ("Creating", Event.updateRequested(configName: "c2", snapshot: [:], deploymentConfig: nil)),
            ("Creating", .updateFailed(reason: "r")),
            ("InService", .loaded(configName: "c", variants: [])),
            ("InService", .updateFailed(reason: "r")),
            ("Updating", .updateRequested(configName: "c3", snapshot: [:], deploymentConfig: nil)),
            ("Failed", .loaded(configName: "c", variants: [])),
            ("Failed", .reloaded(configName: "c", variants: [])),
            ("Failed", .loadFailed(reason: "r")),
            ("Failed", .updateFailed(reason: "r")),
            ("Deleting", .loaded(configName: "c", variants: [])),
            ("Deleting", .reloaded(configName: "c", variants: [])),
            ("Deleting", .loadFailed(reason: "r")),
            ("Deleting", .updateRequested(configName: "c", snapshot: [:], deploymentConfig: nil)),
        ]
    )
    func illegalTransitions(status: String, event: Event) {
        var endpoint = newEndpoint()
        endpoint.status = status
        endpoint.document["EndpointStatus"] = .string(status)
        let before = endpoint
        #expect(throws: EndpointLifecycle.IllegalTransition.self) { try EndpointLifecycle.apply(event, to: &endpoint, at: 500) }
        #expect(endpoint == before)
    }
}
