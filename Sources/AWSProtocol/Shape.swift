import Foundation

/// One shape of a botocore service model, reduced to what validation needs (see scripts/extract-service-shapes.py).
struct Shape: Sendable, Decodable {
    enum Kind: String, Sendable, Decodable {
        case structure, list, map, string, integer, long, float, double, boolean, timestamp, blob
    }

    var type: Kind
    /// A structure's members as (wire name, shape name), in model order.
    var members: [(name: String, shape: String)]
    /// A structure's required member names, in model order.
    var required: [String]
    /// A list's element shape.
    var member: String?
    /// A map's key and value shapes.
    var key: String?
    var value: String?
    var min: Double?
    var max: Double?
    var pattern: Pattern?
    var enumValues: [String]?

    /// Structures, lists and maps hold other values; everything else is a scalar.
    var isScalar: Bool { ![.structure, .list, .map].contains(type) }

    private enum CodingKeys: String, CodingKey {
        case type, members, required, member, key, value, min, max, pattern
        case enumValues = "enum"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(Kind.self, forKey: .type)
        members = try (c.decodeIfPresent([[String]].self, forKey: .members) ?? []).map { pair in
            guard pair.count == 2 else {
                throw DecodingError.dataCorruptedError(forKey: .members, in: c, debugDescription: "a member is not a [name, shape] pair")
            }
            return (name: pair[0], shape: pair[1])
        }
        required = try c.decodeIfPresent([String].self, forKey: .required) ?? []
        member = try c.decodeIfPresent(String.self, forKey: .member)
        key = try c.decodeIfPresent(String.self, forKey: .key)
        value = try c.decodeIfPresent(String.self, forKey: .value)
        min = try c.decodeIfPresent(Double.self, forKey: .min)
        max = try c.decodeIfPresent(Double.self, forKey: .max)
        pattern = try c.decodeIfPresent(String.self, forKey: .pattern).map(Pattern.init)
        enumValues = try c.decodeIfPresent([String].self, forKey: .enumValues)
    }

    /// The constraints the model puts on values of this shape, in the order AWS lists them: maximum, minimum,
    /// pattern, enum. Lengths for strings, blobs, lists and maps; values for numbers. Patterns that ICU cannot
    /// compile are left out.
    var constraints: [ShapeConstraint] {
        let isNumber = [.integer, .long, .float, .double].contains(type)
        let isIntegral = type == .integer || type == .long
        var out: [ShapeConstraint] = []
        if let max { out.append(isNumber ? .maxValue(max, integral: isIntegral) : .maxLength(Int(max))) }
        if let min { out.append(isNumber ? .minValue(min, integral: isIntegral) : .minLength(Int(min))) }
        if let pattern, pattern.regex != nil { out.append(.pattern(pattern)) }
        if let enumValues { out.append(.enumValues(enumValues)) }
        return out
    }
}

/// A model pattern (Java regular expression syntax, which ICU's mostly shares) compiled once as a full-match
/// expression; `regex` is nil when ICU cannot compile it.
struct Pattern: @unchecked Sendable {
    /// The pattern as botocore's model spells it (unanchored).
    let source: String
    /// Immutable after creation; NSRegularExpression is documented thread-safe.
    let regex: NSRegularExpression?

    init(_ source: String) {
        self.source = source
        regex = try? NSRegularExpression(pattern: "\\A(?:\(source))\\z")
    }

    func matches(_ text: String) -> Bool {
        guard let regex else { return true }
        return regex.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil
    }
}
