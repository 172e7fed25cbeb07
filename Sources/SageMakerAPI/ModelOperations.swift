import AWSProtocol
import ControlPlane

/// CreateModel, DescribeModel, ListModels, DeleteModel (spec §7.5).
struct ModelOperations {
    let registry: RegistryOperations

    init(store: ControlPlaneStore) {
        registry = RegistryOperations(
            kind: .model, noun: "model", nameMember: "ModelName", arnMember: "ModelArn", listMember: "Models", store: store)
    }

    func create(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        guard input["PrimaryContainer"] != nil || !(input["Containers"]?.arrayValue ?? []).isEmpty else {
            throw AWSError.validation("Either PrimaryContainer or Containers must be specified.")
        }
        return try registry.create(input, context)
    }
}
