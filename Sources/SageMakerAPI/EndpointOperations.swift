import AWSProtocol
import ControlPlane
import EndpointRuntime

/// CreateEndpoint, DescribeEndpoint, ListEndpoints, UpdateEndpoint, DeleteEndpoint (spec §7.7, §8.2), moving
/// endpoints through `EndpointLifecycle`. Loading happens on the host's threads; these calls answer at once.
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
        let document = EndpointLifecycle.created(
            name: name, arn: arn, configName: input["EndpointConfigName"] ?? "", deploymentConfig: input["DeploymentConfig"], snapshot: snapshot,
            at: context.now)
        let record = ResourceRecord(
            kind: .endpoint, name: name, arn: arn, creationTime: context.now, lastModifiedTime: context.now,
            status: EndpointStatus.creating.rawValue, document: document)
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
                        "LastModifiedTime": .double(e.lastModifiedTime), "EndpointStatus": .string(e.status ?? EndpointStatus.creating.rawValue),
                    ]
                })
        ]
        if let next { output["NextToken"] = .string(next) }
        return output
    }

    func update(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let endpoint = try existing(input, context)
        let status = endpoint.status(as: EndpointStatus.self)
        guard status == .inService || status == .failed && host.deployment(endpoint.name) != nil else {
            throw AWSError.validation("Cannot update in-progress endpoint \"\(endpoint.arn)\".")
        }
        let snapshot = try deploymentSnapshot(input, context)
        let request = EndpointLifecycle.Event.updateRequested(
            configName: input["EndpointConfigName"]?.stringValue ?? "", snapshot: snapshot, deploymentConfig: input["DeploymentConfig"])
        try store.update(.endpoint, named: endpoint.name) { try EndpointLifecycle.apply(request, to: &$0, at: context.now) }
        host.deploy(endpoint.name, snapshot: snapshot, installed: Self.installed, failed: Self.updateFailed)
        return ["EndpointArn": .string(endpoint.arn)]
    }

    func delete(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let endpoint = try existing(input, context)
        try store.update(.endpoint, named: endpoint.name) { try EndpointLifecycle.apply(.deleteRequested, to: &$0, at: context.now) }
        host.remove(endpoint.name)
        try store.delete(.endpoint, named: endpoint.name)
        return [:]
    }

    // MARK: - Outcomes of a deployment, applied by the host

    /// A deployment loaded: InService on it (a successful update switches the configuration name).
    static let installed: @Sendable (inout ResourceRecord, DeployedEndpoint, Double) throws -> Void = { record, deployed, now in
        try EndpointLifecycle.apply(
            .loaded(configName: deployed.configName, variants: deployed.describeVariants(resolvedAt: now)), to: &record, at: now)
    }

    /// An endpoint loaded again after a restart: InService on the deployment it was serving.
    package static let recovered: @Sendable (inout ResourceRecord, DeployedEndpoint, Double) throws -> Void = { record, deployed, now in
        try EndpointLifecycle.apply(
            .reloaded(configName: deployed.configName, variants: deployed.describeVariants(resolvedAt: now)), to: &record, at: now)
    }

    /// A new endpoint's models (or its serving ones, after a restart) did not load: Failed with the reason.
    package static let creationFailed: @Sendable (inout ResourceRecord, String, Double) throws -> Void = { record, reason, now in
        try EndpointLifecycle.apply(.loadFailed(reason: reason), to: &record, at: now)
    }

    /// An update's models did not load: back to InService on the old deployment, with the reason.
    static let updateFailed: @Sendable (inout ResourceRecord, String, Double) throws -> Void = { record, reason, now in
        try EndpointLifecycle.apply(.updateFailed(reason: reason), to: &record, at: now)
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
            throw AWSError.missingMember("EndpointName")
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
