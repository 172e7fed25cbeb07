import AWSProtocol
import ControlPlane

/// CreateEndpointConfig, DescribeEndpointConfig, ListEndpointConfigs, DeleteEndpointConfig (spec §7.6).
/// Serverless and async variants are accepted and echoed; Apiary serves every variant on its own CPU runtime.
struct EndpointConfigOperations {
    let registry: RegistryOperations
    let models: RegistryOperations

    init(store: ControlPlaneStore) {
        registry = RegistryOperations(
            kind: .endpointConfig, noun: "endpoint configuration", nameMember: "EndpointConfigName", arnMember: "EndpointConfigArn",
            listMember: "EndpointConfigs", store: store)
        models = ModelOperations(store: store).registry
    }

    func create(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let variants = input["ProductionVariants"]?.arrayValue ?? []
        guard !variants.isEmpty else {
            throw AWSError.missingMember("ProductionVariants")
        }
        var seen = Set<String>()
        for variant in variants {
            let name = variant["VariantName"]?.stringValue ?? ""
            guard seen.insert(name).inserted else {
                throw AWSError.validation("Variant names must be unique within an endpoint configuration: '\(name)' appears twice.")
            }
            if let model = variant["ModelName"]?.stringValue, try models.store.resource(.model, named: model) == nil {
                throw models.notFound(model, context)
            }
        }
        return try registry.create(input, context)
    }
}
