import Foundation

/// One AWS service's operations and shapes, as scripts/extract-service-shapes.py extracts them from botocore's
/// model into Resources/: the request shapes with their constraints, and the response shapes' required members.
public struct ServiceModel: Sendable {
    /// SageMaker's control plane (`sagemaker`): validation errors are `ValidationException`, patterns print as `^…`.
    public static let sageMaker = try! ServiceModel(
        resource: "sagemaker-shapes",
        validationErrorCode: "ValidationException",
        patternPrefix: "^"
    )
    /// CloudWatch Logs (`logs`): validation errors are `InvalidParameterException`, patterns print unanchored.
    public static let logs = try! ServiceModel(
        resource: "logs-shapes",
        validationErrorCode: "InvalidParameterException",
        patternPrefix: ""
    )

    /// The code of the error that constraint violations raise.
    public let validationErrorCode: String
    /// Printed before each pattern in validation messages: the anchor the service's own model has and
    /// botocore's lacks (AWS prints SageMaker's name pattern as `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`).
    let patternPrefix: String

    private struct Operation: Decodable {
        var input: String
        var output: String?
    }

    private struct File: Decodable {
        var operations: [String: Operation]
        var shapes: [String: Shape]
        var outputShapes: [String: Shape]
    }

    private let operations: [String: Operation]
    let shapes: [String: Shape]
    private let outputShapes: [String: Shape]

    /// Loads `<resource>.json` from the module's Resources/.
    /// - Throws: when the file is missing or not of the extractor's form (a packaging bug).
    init(resource: String, validationErrorCode: String, patternPrefix: String) throws {
        guard let url = Bundle.module.url(forResource: resource, withExtension: "json", subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Resources/\(resource).json"])
        }
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        operations = file.operations
        shapes = file.shapes
        outputShapes = file.outputShapes
        self.validationErrorCode = validationErrorCode
        self.patternPrefix = patternPrefix
    }

    /// The operations the model covers, sorted.
    public var operationNames: [String] { operations.keys.sorted() }

    /// The name of `operation`'s input shape, or nil for an operation the model does not cover.
    public func inputShapeName(of operation: String) -> String? { operations[operation]?.input }

    /// The request shape named `name` (every name an input shape refers to is in the file).
    func shape(_ name: String) -> Shape {
        guard let shape = shapes[name] else { preconditionFailure("shape \(name) missing from the extracted model") }
        return shape
    }

    /// Where `output`, a response of `operation`, lacks a member the model marks required, at any depth:
    /// wire member names joined with `.`, list indexes as `[0]`, map keys as `.key`
    /// (e.g. `TrainingJobSummaries[0].TrainingJobArn`). Empty when nothing is missing or the operation has no output.
    public func missingRequiredOutputMembers(_ output: JSONValue, operation: String) -> [String] {
        guard let name = operations[operation]?.output else { return [] }
        var missing: [String] = []
        collectMissing(output, shapeName: name, path: "", into: &missing)
        return missing
    }

    private func collectMissing(_ value: JSONValue, shapeName: String, path: String, into missing: inout [String]) {
        guard let shape = outputShapes[shapeName] else { return }  // a scalar
        switch (shape.type, value) {
        case (.structure, .object(let members)):
            let prefix = path.isEmpty ? "" : path + "."
            for name in shape.required where (members[name] ?? .null) == .null {
                missing.append(prefix + name)
            }
            for (name, child) in shape.members {
                if let member = members[name] { collectMissing(member, shapeName: child, path: prefix + name, into: &missing) }
            }
        case (.list, .array(let elements)):
            for (i, element) in elements.enumerated() {
                collectMissing(element, shapeName: shape.member!, path: "\(path)[\(i)]", into: &missing)
            }
        case (.map, .object(let entries)):
            for key in entries.keys.sorted() {
                collectMissing(entries[key]!, shapeName: shape.value!, path: "\(path).\(key)", into: &missing)
            }
        default:
            return
        }
    }
}
