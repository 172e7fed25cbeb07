import AWSProtocol

/// The List and Delete commands that models, endpoint configurations and endpoints share: the same calls with
/// different member names.
enum RegistryCommands {
    /// `List<Resources>` newest first, printed as NAME [STATUS] CREATED or as the API's JSON.
    static func list(
        _ options: ClientOptions, operation: String, listMember: String, nameMember: String, statusMember: String? = nil,
        nameContains: String?, max: Int
    ) async throws {
        var input: JSONValue = ["MaxResults": .int(max)]
        if let nameContains { input["NameContains"] = .string(nameContains) }
        let (answer, bytes) = try await options.client().answer("SageMaker.\(operation)", input)
        if options.json { return JSONOutput.print(answer: bytes) }
        let rows = (answer[listMember]?.arrayValue ?? []).map { item in
            [item[nameMember]?.stringValue ?? ""] + (statusMember.map { [item[$0]?.stringValue ?? ""] } ?? []) + [JSONOutput.date(item["CreationTime"])]
        }
        let headers = ["NAME"] + (statusMember == nil ? [] : ["STATUS"]) + ["CREATED"]
        print(TextTable(headers: headers, rows: rows).render())
    }

    /// `Delete<Resource>`, then `deleted NAME` (or with --json the API's answer).
    static func delete(_ options: ClientOptions, operation: String, nameMember: String, name: String) async throws {
        let answer = try await options.client().answer("SageMaker.\(operation)", [nameMember: .string(name)])
        options.json ? JSONOutput.print(answer: answer.bytes) : print("deleted \(name)")
    }
}
