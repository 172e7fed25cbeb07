import AWSProtocol

/// A SageMaker resource ctl was given by name that the daemon does not have. Exit 64 (the guide's "something that
/// does not exist"), naming what was missing and the names near it, so a typo is one glance away from its fix.
struct ResourceNotFound: Error, CustomStringConvertible {
    let kind: NamedResource
    let name: String
    /// Existing names of the same kind close to `name`.
    let nearNames: [String]

    var description: String {
        "\(kind.noun) '\(name)' does not exist"
            + (nearNames.isEmpty ? "; `ctl \(kind.command) list` shows what there is" : NearNames.didYouMean(nearNames))
    }
}

/// The kinds of SageMaker resource ctl names, with the members their API calls and lists use.
enum NamedResource: CaseIterable {
    case trainingJob, model, endpointConfig, endpoint

    var nameMember: String {
        switch self {
        case .trainingJob: "TrainingJobName"
        case .model: "ModelName"
        case .endpointConfig: "EndpointConfigName"
        case .endpoint: "EndpointName"
        }
    }

    var noun: String {
        switch self {
        case .trainingJob: "training job"
        case .model: "model"
        case .endpointConfig: "endpoint configuration"
        case .endpoint: "endpoint"
        }
    }

    /// The resource type in its ARN (`arn:aws:sagemaker:…:<type>/<name>`).
    var arnType: String {
        switch self {
        case .trainingJob: "training-job"
        case .model: "model"
        case .endpointConfig: "endpoint-config"
        case .endpoint: "endpoint"
        }
    }

    /// The ctl command group (`ctl <command> list`).
    var command: String { arnType == "training-job" ? "training-jobs" : arnType + "s" }

    var listOperation: String {
        switch self {
        case .trainingJob: "ListTrainingJobs"
        case .model: "ListModels"
        case .endpointConfig: "ListEndpointConfigs"
        case .endpoint: "ListEndpoints"
        }
    }

    var describeOperation: String { "Describe" + listOperation.dropFirst("List".count).dropLast() }

    var listMember: String {
        switch self {
        case .trainingJob: "TrainingJobSummaries"
        case .model: "Models"
        case .endpointConfig: "EndpointConfigs"
        case .endpoint: "Endpoints"
        }
    }

    /// The resource an error answer says is missing, if it is a not-found: the ARN the message names
    /// (`Could not find endpoint configuration "arn:…:endpoint-config/x"`), else the one name the request gave
    /// (`Requested resource not found.` of DescribeTrainingJob, `Endpoint x … not found.` of InvokeEndpoint).
    static func missing(in error: APICallError, request: JSONValue) -> (NamedResource, String)? {
        let message = error.message.lowercased()
        guard
            error.code.contains("NotFound") || message.contains("not found") || message.contains("could not find")
                || message.contains("does not exist")
        else { return nil }
        for kind in allCases {
            if let range = error.message.range(of: ":\(kind.arnType)/") {
                let name = error.message[range.upperBound...].prefix { $0 != "\"" && $0 != " " }
                let given = request[kind.nameMember]?.stringValue
                return (kind, given?.lowercased() == name.lowercased() ? given! : String(name))
            }
        }
        let given = allCases.compactMap { kind in request[kind.nameMember]?.stringValue.map { (kind, $0) } }
        return given.count == 1 ? given[0] : nil
    }
}

extension APIClient {
    /// `error` as a `ResourceNotFound` with the near names, when it says a named resource does not exist.
    func notFound(_ error: APICallError, request: JSONValue) async -> Error {
        guard let (kind, name) = NamedResource.missing(in: error, request: request) else { return error }
        let list = try? await call("SageMaker.\(kind.listOperation)", ["MaxResults": 100])
        let names = (list?[kind.listMember]?.arrayValue ?? []).compactMap { $0[kind.nameMember]?.stringValue }
        return ResourceNotFound(kind: kind, name: name, nearNames: NearNames.suggest(name, among: names))
    }
}
