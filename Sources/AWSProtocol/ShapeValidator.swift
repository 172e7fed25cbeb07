import Foundation

/// Validates request bodies against a `ServiceModel` as AWS's front end does (spec §4.4): botocore checks only
/// required members, types and `min` client-side; `max`, `pattern` and `enum` are the server's job.
///
/// Every violation is collected into one error, `<N> validation error(s) detected: <e1>; <e2>`, each
/// `Value '<v>' at '<path>' failed to satisfy constraint: <phrase>`, in model member order. Paths are
/// lowerCamelCase member names joined with `.`; a list's structure elements are `<list>.<i>.member` (1-based);
/// a list or map of scalars is checked as a whole, AWS-style, at the collection's own path
/// (`Member must satisfy constraint: [...]`, `Map keys must satisfy constraint: [...]`,
/// `Map value must satisfy constraint: [...]`, listing every constraint of the element shape), with the
/// collection printed Java-style (`[a, b]`, `{k=v}`); a null list element is `<list>.<i>.member` and a null map
/// value `<map>.<key>` ("Member must not be null"). Unknown members are ignored; a JSON `null` member counts as
/// absent. A value of the wrong JSON type ends validation with AWS's `SerializationException`.
public struct ShapeValidator: Sendable {
    public let model: ServiceModel

    public init(model: ServiceModel) {
        self.model = model
    }

    /// Validates `input`, the JSON body of `operation`.
    /// - Throws: `SerializationException` for a value of the wrong JSON type; the model's validation error
    ///   (`ValidationException` for SageMaker) listing every constraint violation; `UnknownOperationException`
    ///   for an operation the model does not cover.
    public func validate(_ input: JSONValue, operation: String) throws(AWSError) {
        guard let inputShape = model.inputShapeName(of: operation) else { throw AWSError.unknownOperation(operation) }
        var violations: [String] = []
        try check(input, model.shape(inputShape), at: "", into: &violations)
        guard !violations.isEmpty else { return }
        throw AWSError(model.validationErrorCode, Self.message(violations))
    }

    /// `<N> validation error(s) detected: <e1>; <e2>`.
    static func message(_ violations: [String]) -> String {
        let count = violations.count == 1 ? "1 validation error" : "\(violations.count) validation errors"
        return "\(count) detected: " + violations.joined(separator: "; ")
    }

    private func check(_ value: JSONValue, _ shape: Shape, at path: String, into violations: inout [String]) throws(AWSError) {
        try Self.checkType(value, shape)
        switch value {
        case .object(let members) where shape.type == .structure:
            for (name, memberShape) in shape.members {
                let memberPath = path.isEmpty ? Self.lowerCamel(name) : "\(path).\(Self.lowerCamel(name))"
                if let member = members[name], member != .null {
                    try check(member, model.shape(memberShape), at: memberPath, into: &violations)
                } else if shape.required.contains(name) {
                    violations.append(Self.nullViolation(at: memberPath))
                }
            }
        case .array(let elements):
            violations += scalarViolations(value, shape, at: path)
            try checkElements(
                elements.enumerated().map { ("\($0.offset + 1).member", $0.element) },
                of: value,
                at: path,
                shape: model.shape(shape.member!),
                phrase: "Member must satisfy constraint",
                into: &violations
            )
        case .object(let entries):
            violations += scalarViolations(value, shape, at: path)
            let sorted = entries.sorted { $0.key < $1.key }
            try checkElements(
                sorted.map { ($0.key, .string($0.key)) },
                of: value,
                at: path,
                shape: model.shape(shape.key!),
                phrase: "Map keys must satisfy constraint",
                into: &violations
            )
            try checkElements(
                sorted.map { ($0.key, $0.value) },
                of: value,
                at: path,
                shape: model.shape(shape.value!),
                phrase: "Map value must satisfy constraint",
                into: &violations
            )
        default:
            violations += scalarViolations(value, shape, at: path)
        }
    }

    /// The elements of a list or map (each with its path suffix): nulls are reported one by one; scalars are
    /// checked together, one violation at the collection's path if any fails; other shapes are checked each.
    private func checkElements(
        _ elements: [(suffix: String, value: JSONValue)],
        of collection: JSONValue,
        at path: String,
        shape: Shape,
        phrase: String,
        into violations: inout [String]
    ) throws(AWSError) {
        var anyFailed = false
        for (suffix, element) in elements {
            if element == .null {
                violations.append(Self.nullViolation(at: "\(path).\(suffix)"))
            } else if shape.isScalar {
                try Self.checkType(element, shape)
                anyFailed = anyFailed || shape.constraints.contains { !$0.isSatisfied(by: element) }
            } else {
                try check(element, shape, at: "\(path).\(suffix)", into: &violations)
            }
        }
        if anyFailed {
            let phrases = shape.constraints.map { $0.phrase(patternPrefix: model.patternPrefix) }
            violations.append(Self.violation(collection, at: path, "\(phrase): [\(phrases.joined(separator: ", "))]"))
        }
    }

    /// The violations of `shape`'s own constraints by `value`, one per broken constraint.
    private func scalarViolations(_ value: JSONValue, _ shape: Shape, at path: String) -> [String] {
        // A float member holds a Java float, which prints with a fraction even when the JSON number had none.
        let printed = [.float, .double].contains(shape.type) ? value.doubleValue.map(JSONValue.double) ?? value : value
        return shape.constraints.filter { !$0.isSatisfied(by: value) }.map {
            Self.violation(printed, at: path, $0.phrase(patternPrefix: model.patternPrefix))
        }
    }

    private static func violation(_ value: JSONValue, at path: String, _ phrase: String) -> String {
        "Value '\(javaString(value))' at '\(path)' failed to satisfy constraint: \(phrase)"
    }

    static func nullViolation(at path: String) -> String {
        "Value null at '\(path)' failed to satisfy constraint: Member must not be null"
    }

    /// A value as AWS's (Java) messages print it: scalars bare, lists `[a, b]`, objects `{k=v}` with sorted keys.
    private static func javaString(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): String(b)
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .array(let a): "[" + a.map(javaString).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.keys.sorted().map { "\($0)=\(javaString(o[$0]!))" }.joined(separator: ", ") + "}"
        }
    }

    /// `TrainingJobName` → `trainingJobName`, `S3Uri` → `s3Uri`.
    static func lowerCamel(_ name: String) -> String {
        name.prefix(1).lowercased() + name.dropFirst()
    }

    // MARK: - JSON types

    /// Throws AWS's `SerializationException` unless `value` has the JSON type `shape` needs. Timestamps are epoch
    /// seconds (any number) or ISO-8601 strings.
    private static func checkType(_ value: JSONValue, _ shape: Shape) throws(AWSError) {
        let ok =
            switch (shape.type, value) {
            case (.structure, .object), (.map, .object), (.list, .array), (.string, .string), (.blob, .string),
                (.boolean, .bool), (.float, .int), (.float, .double), (.double, .int), (.double, .double),
                (.timestamp, .int), (.timestamp, .double):
                true
            case (.integer, _), (.long, _): value.intValue != nil
            case (.timestamp, .string(let text)): isISO8601(text)
            default: false
            }
        guard !ok else { return }
        switch value {
        case .object: throw AWSError.serialization("Start of structure or map found where not expected.")
        case .array: throw AWSError.serialization("Start of list found where not expected.")
        default: throw AWSError.serialization("\(tokenName(value)) can not be converted to \(typeName(shape.type))")
        }
    }

    private static func isISO8601(_ text: String) -> Bool {
        (try? Date(text, strategy: .iso8601)) != nil
            || (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) != nil
    }

    /// The JSON token as Coral's messages name it.
    private static func tokenName(_ value: JSONValue) -> String {
        switch value {
        case .string: "STRING_VALUE"
        case .int, .double: "NUMBER_VALUE"
        case .bool: "BOOLEAN_VALUE"
        default: "NULL_VALUE"
        }
    }

    private static func typeName(_ kind: Shape.Kind) -> String {
        switch kind {
        case .structure: "a Structure"
        case .list: "a List"
        case .map: "a Map"
        case .string: "a String"
        case .integer: "an Integer"
        case .long: "a Long"
        case .float: "a Float"
        case .double: "a Double"
        case .boolean: "a Boolean"
        case .timestamp: "a Timestamp"
        case .blob: "a Blob"
        }
    }
}
