import AWSProtocol
import Foundation

/// A function as stored (a `lambda-function` resource): its FunctionConfiguration answer, the key of its code
/// package and its resource policy statements (stored, not enforced).
struct LambdaFunction: Sendable, StoredDocument {
    var configuration: JSONValue
    var codeKey: String
    var statements: [JSONValue]

    var name: String { configuration["FunctionName"]?.stringValue ?? "" }
    var arn: String { configuration["FunctionArn"]?.stringValue ?? "" }
    var runtime: String { configuration["Runtime"]?.stringValue ?? "" }
    var handler: String { configuration["Handler"]?.stringValue ?? "" }
    var timeout: Int { configuration["Timeout"]?.intValue ?? 3 }
    var memorySize: Int { configuration["MemorySize"]?.intValue ?? 128 }
    var revisionID: String { configuration["RevisionId"]?.stringValue ?? "" }
    /// The region in the function's ARN (`arn:aws:lambda:<region>:…`).
    var region: String { arn.split(separator: ":").dropFirst(3).first.map(String.init) ?? "us-east-1" }
    var variables: [String: String] {
        (configuration["Environment"]?["Variables"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    init(configuration: JSONValue, codeKey: String, statements: [JSONValue]) {
        self.configuration = configuration
        self.codeKey = codeKey
        self.statements = statements
    }

    init(document: JSONValue) {
        self.init(
            configuration: document["Configuration"] ?? [:], codeKey: document["CodeKey"]?.stringValue ?? "",
            statements: document["Policy"]?.arrayValue ?? [])
    }

    var document: JSONValue { ["Configuration": configuration, "CodeKey": .string(codeKey), "Policy": .array(statements)] }

    /// The runtimes this emulator runs (spec §1).
    static let supportedRuntimes: Set<String> =
        Set((9...14).map { "python3.\($0)" }).union(["provided", "provided.al2", "provided.al2023"])

    /// Keys AWS reserves in `Environment.Variables`.
    static let reservedVariables: Set<String> = [
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "_HANDLER",
        "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "AWS_EXECUTION_ENV", "AWS_LAMBDA_RUNTIME_API",
    ]

    /// Applies the configuration members of a Create/UpdateFunctionConfiguration request, validating them.
    /// - Throws: `InvalidParameterValueException` as AWS words it.
    mutating func apply(_ input: JSONValue) throws {
        if let runtime = input["Runtime"]?.stringValue {
            guard Self.supportedRuntimes.contains(runtime) else {
                throw Self.invalid("Runtime \(runtime) is not supported by this emulator (python3.9…python3.14, provided, provided.al2, provided.al2023).")
            }
            configuration["Runtime"] = .string(runtime)
        }
        if let role = input["Role"]?.stringValue {
            guard role.range(of: #"^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$"#, options: .regularExpression) != nil else {
                throw Self.invalid("The role defined for the function cannot be assumed by Lambda.")
            }
            configuration["Role"] = .string(role)
        }
        if let handler = input["Handler"]?.stringValue { configuration["Handler"] = .string(handler) }
        if let description = input["Description"]?.stringValue { configuration["Description"] = .string(description) }
        if let timeout = input["Timeout"] {
            guard let value = timeout.intValue, (1...900).contains(value) else { throw Self.invalid("Timeout must be between 1 and 900 seconds.") }
            configuration["Timeout"] = .int(value)
        }
        if let memory = input["MemorySize"] {
            guard let value = memory.intValue, (128...32768).contains(value) else { throw Self.invalid("MemorySize must be between 128 and 32768 MB.") }
            configuration["MemorySize"] = .int(value)
        }
        if let environment = input["Environment"] {
            let variables = environment["Variables"]?.objectValue ?? [:]
            let reserved = variables.keys.filter { Self.reservedVariables.contains($0) || $0.hasPrefix("AWS_LAMBDA_") }.sorted()
            guard reserved.isEmpty else {
                throw Self.invalid(
                    "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: \(reserved.joined(separator: ", "))")
            }
            guard variables.allSatisfy({ $0.value.stringValue != nil }), JSONValue.object(variables).rendered().utf8.count <= 4096 else {
                throw Self.invalid("Environment variables must be strings and total at most 4 KB.")
            }
            configuration["Environment"] = ["Variables": .object(variables)]
        }
        guard !handler.isEmpty || runtime.hasPrefix("provided") else { throw Self.invalid("Handler is required for Zip packages.") }
    }

    /// Records a new code package and marks the configuration changed.
    mutating func setCode(_ package: LambdaCodeStore.Package, now: Date) {
        codeKey = package.key
        configuration["CodeSha256"] = .string(package.sha256)
        configuration["CodeSize"] = .int(package.size)
        touch(now)
    }

    /// A new `RevisionId` and `LastModified`.
    mutating func touch(_ now: Date) {
        configuration["RevisionId"] = .string(UUID().uuidString.lowercased())
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSZ"
        configuration["LastModified"] = .string(formatter.string(from: now))
    }

    /// A new function's configuration with AWS's defaults.
    static func new(name: String, arn: String) -> LambdaFunction {
        LambdaFunction(
            configuration: [
                "FunctionName": .string(name), "FunctionArn": .string(arn), "Description": "", "Timeout": 3, "MemorySize": 128,
                "Version": "$LATEST", "TracingConfig": ["Mode": "PassThrough"], "State": "Active", "LastUpdateStatus": "Successful",
                "PackageType": "Zip", "Architectures": ["x86_64"], "EphemeralStorage": ["Size": 512],
                "SnapStart": ["ApplyOn": "None", "OptimizationStatus": "Off"],
                "LoggingConfig": ["LogFormat": "Text", "LogGroup": .string("/aws/lambda/\(name)")],
            ], codeKey: "", statements: [])
    }

    /// The function name and qualifier in a path's `{FunctionName}`: a name, a partial ARN
    /// (`123456789012:function:name`) or a full ARN, each with an optional `:qualifier`.
    static func reference(_ raw: String) -> (name: String, qualifier: String?) {
        let parts = raw.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if let function = parts.firstIndex(of: "function"), function + 1 < parts.count {
            return (parts[function + 1], function + 2 < parts.count ? parts[function + 2] : nil)
        }
        return (parts[0], parts.count > 1 ? parts[1] : nil)
    }

    static func invalid(_ message: String) -> AWSError { AWSError("InvalidParameterValueException", message) }
}
