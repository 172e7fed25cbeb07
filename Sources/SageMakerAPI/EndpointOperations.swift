import AWSProtocol
import ControlPlane
import EndpointRuntime

/// CreateEndpoint, DescribeEndpoint, ListEndpoints, UpdateEndpoint, DeleteEndpoint (spec §7.7, §8.2):
/// Creating → InService (or Failed with the reason), InService → Updating → InService (rolled back on a failed
/// update), any → Deleting → gone. Loading happens on the host's threads; these calls answer at once.
package struct EndpointOperations {
    let store: ControlPlaneStore
    let host: EndpointHost
    let configs: RegistryOperations
    let models: RegistryOperations

    init(store: ControlPlaneStore, host: EndpointHost) {
        self.store = store
        self.host = host
        configs = EndpointConfigOperations(store: store).registry
        models = ModelOperations(store: store).registry
    }

    func create(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let name = try requiredName(input)
        let arn = context.arn(.endpoint, name)
        let snapshot = try deploymentSnapshot(input, context)
        var document: JSONValue = [
            "EndpointName": .string(name), "EndpointArn": .string(arn), "EndpointConfigName": input["EndpointConfigName"] ?? "",
            "EndpointStatus": "Creating", "CreationTime": .double(context.now), "LastModifiedTime": .double(context.now),
        ]
        if let deployment = input["DeploymentConfig"] { document["LastDeploymentConfig"] = deployment }
        document[EndpointHost.deploymentKey] = snapshot
        let record = ResourceRecord(
            kind: .endpoint, name: name, arn: arn, creationTime: context.now, lastModifiedTime: context.now, status: "Creating", document: document)
        guard try store.insert(record, tags: TagOperations.tags(in: input)) else {
            throw AWSError.validation("Cannot create already existing endpoint \"\(arn)\".")
        }
        host.deploy(name, snapshot: snapshot, installed: Self.installed, failed: Self.creationFailed)
        return ["EndpointArn": .string(arn)]
    }

    func describe(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        Self.public(try existing(input, context).document)
    }

    func list(_ input: JSONValue) throws -> JSONValue {
        let query = try ListQuery(input, defaultAscending: false, sortKeys: [.name, .creationTime, .status])
        let (items, next) = try query.page(try store.resources(.endpoint))
        var output: JSONValue = [
            "Endpoints": .array(
                items.map { e in
                    [
                        "EndpointName": .string(e.name), "EndpointArn": .string(e.arn), "CreationTime": .double(e.creationTime),
                        "LastModifiedTime": .double(e.lastModifiedTime), "EndpointStatus": .string(e.status ?? "Creating"),
                    ]
                })
        ]
        if let next { output["NextToken"] = .string(next) }
        return output
    }

    func update(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let endpoint = try existing(input, context)
        guard endpoint.status == "InService" || endpoint.status == "Failed" && host.deployment(endpoint.name) != nil else {
            throw AWSError.validation("Cannot update in-progress endpoint \"\(endpoint.arn)\".")
        }
        let snapshot = try deploymentSnapshot(input, context)
        try store.update(.endpoint, named: endpoint.name) { record in
            record.status = "Updating"
            record.lastModifiedTime = context.now
            record.document["EndpointStatus"] = "Updating"
            record.document["LastModifiedTime"] = .double(context.now)
            record.document["FailureReason"] = nil
            record.document["PendingDeploymentSummary"] = [
                "EndpointConfigName": input["EndpointConfigName"] ?? "", "StartTime": .double(context.now),
            ]
            record.document[EndpointHost.pendingDeploymentKey] = snapshot
            if let deployment = input["DeploymentConfig"] { record.document["LastDeploymentConfig"] = deployment }
        }
        host.deploy(endpoint.name, snapshot: snapshot, installed: Self.installed, failed: Self.updateFailed)
        return ["EndpointArn": .string(endpoint.arn)]
    }

    func delete(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let endpoint = try existing(input, context)
        try store.update(.endpoint, named: endpoint.name) { record in
            record.status = "Deleting"
            record.document["EndpointStatus"] = "Deleting"
        }
        host.remove(endpoint.name)
        try store.delete(.endpoint, named: endpoint.name)
        return [:]
    }

    // MARK: - Outcomes of a deployment, applied by the host

    /// A deployment loaded: InService on it (a successful update switches the configuration name).
    static let installed: @Sendable (inout ResourceRecord, DeployedEndpoint, Double) throws -> Void = { record, deployed, now in
        if let pending = record.document[EndpointHost.pendingDeploymentKey] { record.document[EndpointHost.deploymentKey] = pending }
        record.document[EndpointHost.pendingDeploymentKey] = nil
        record.document["PendingDeploymentSummary"] = nil
        record.document["EndpointConfigName"] = .string(deployed.configName)
        record.document["ProductionVariants"] = deployed.describeVariants(resolvedAt: now)
        record.document["EndpointStatus"] = "InService"
        record.document["LastModifiedTime"] = .double(now)
        record.status = "InService"
        record.lastModifiedTime = now
    }

    /// An endpoint loaded again after a restart: InService on the deployment it was serving. An update the restart
    /// interrupted is not resumed; FailureReason says so, so the old configuration coming back is no surprise.
    package static let recovered: @Sendable (inout ResourceRecord, DeployedEndpoint, Double) throws -> Void = { record, deployed, now in
        if record.document[EndpointHost.pendingDeploymentKey] != nil {
            let wanted = record.document["PendingDeploymentSummary"]?["EndpointConfigName"]?.stringValue ?? "the new configuration"
            record.document[EndpointHost.pendingDeploymentKey] = nil
            record.document["FailureReason"] = .string(
                "The update to \(wanted) was interrupted by a restart of the daemon; the endpoint keeps its previous configuration "
                    + "\(deployed.configName). Call UpdateEndpoint again.")
        }
        try installed(&record, deployed, now)
    }

    /// A new endpoint's models did not load: Failed with the reason.
    package static let creationFailed: @Sendable (inout ResourceRecord, String, Double) throws -> Void = { record, reason, now in
        record.document["EndpointStatus"] = "Failed"
        record.document["FailureReason"] = .string(String(reason.prefix(1024)))
        record.document["LastModifiedTime"] = .double(now)
        record.status = "Failed"
        record.lastModifiedTime = now
    }

    /// An update's models did not load: back to InService on the old deployment, with the reason.
    static let updateFailed: @Sendable (inout ResourceRecord, String, Double) throws -> Void = { record, reason, now in
        record.document[EndpointHost.pendingDeploymentKey] = nil
        record.document["PendingDeploymentSummary"] = nil
        record.document["EndpointStatus"] = "InService"
        record.document["FailureReason"] = .string(String(("Update failed; the endpoint keeps its previous configuration. " + reason).prefix(1024)))
        record.document["LastModifiedTime"] = .double(now)
        record.status = "InService"
        record.lastModifiedTime = now
    }

    // MARK: - Helpers

    /// The configuration named by the request and the models of its variants, as they are now.
    private func deploymentSnapshot(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let configName = input["EndpointConfigName"]?.stringValue ?? ""
        guard let config = try store.resource(.endpointConfig, named: configName) else { throw configs.notFound(configName, context) }
        let modelNames = (config.document["ProductionVariants"]?.arrayValue ?? []).compactMap { $0["ModelName"]?.stringValue }
        let variantModels = try modelNames.map { name in
            guard let model = try store.resource(.model, named: name) else { throw models.notFound(name, context) }
            return model
        }
        return DeployedEndpoint.snapshot(config: config, models: variantModels)
    }

    private func existing(_ input: JSONValue, _ context: AWSRequestContext) throws -> ResourceRecord {
        let name = try requiredName(input)
        guard let record = try store.resource(.endpoint, named: name) else {
            throw AWSError.validation("Could not find endpoint \"\(context.arn(.endpoint, name))\".")
        }
        return record
    }

    private func requiredName(_ input: JSONValue) throws -> String {
        guard let name = input["EndpointName"]?.stringValue else {
            throw AWSError.validation("1 validation error detected: Value null at 'endpointName' failed to satisfy constraint: Member must not be null")
        }
        return name
    }

    /// The document without Apiary's private members.
    static func `public`(_ document: JSONValue) -> JSONValue {
        guard case .object(var members) = document else { return document }
        members[EndpointHost.deploymentKey] = nil
        members[EndpointHost.pendingDeploymentKey] = nil
        return .object(members)
    }
}
