/// One model constraint on a value, and the phrase AWS's validation messages name it with.
enum ShapeConstraint: Sendable {
    case maxLength(Int)
    case minLength(Int)
    /// A bound on a number; `integral` bounds print as `100`, others as `0.0` (Java's `Double.toString`).
    case maxValue(Double, integral: Bool)
    case minValue(Double, integral: Bool)
    case pattern(Pattern)
    case enumValues([String])

    /// Whether `value`, already of the shape's JSON type, satisfies the constraint.
    func isSatisfied(by value: JSONValue) -> Bool {
        switch self {
        case .maxLength(let bound): Self.length(of: value) <= bound
        case .minLength(let bound): Self.length(of: value) >= bound
        case .maxValue(let bound, _): (value.doubleValue ?? bound) <= bound
        case .minValue(let bound, _): (value.doubleValue ?? bound) >= bound
        case .pattern(let pattern): value.stringValue.map(pattern.matches) ?? true
        case .enumValues(let values): value.stringValue.map(values.contains) ?? true
        }
    }

    /// The phrase after "failed to satisfy constraint: ". Patterns print with `patternPrefix` (the `^` that the
    /// service's own model has and botocore's lacks) unless they already start with it.
    func phrase(patternPrefix: String) -> String {
        switch self {
        case .maxLength(let bound): "Member must have length less than or equal to \(bound)"
        case .minLength(let bound): "Member must have length greater than or equal to \(bound)"
        case .maxValue(let bound, let integral): "Member must have value less than or equal to \(Self.format(bound, integral: integral))"
        case .minValue(let bound, let integral): "Member must have value greater than or equal to \(Self.format(bound, integral: integral))"
        case .pattern(let pattern):
            "Member must satisfy regular expression pattern: "
                + (pattern.source.hasPrefix(patternPrefix) ? pattern.source : patternPrefix + pattern.source)
        case .enumValues(let values): "Member must satisfy enum value set: [\(values.joined(separator: ", "))]"
        }
    }

    /// Java's `String.length()` (UTF-16 code units) for strings; the element count for lists and maps.
    private static func length(of value: JSONValue) -> Int {
        switch value {
        case .string(let s): s.utf16.count
        case .array(let a): a.count
        case .object(let o): o.count
        default: 0
        }
    }

    private static func format(_ bound: Double, integral: Bool) -> String {
        integral ? String(Int(bound)) : String(bound)
    }
}
