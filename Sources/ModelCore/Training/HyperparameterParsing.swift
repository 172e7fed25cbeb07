import Foundation

/// String-to-number rules for hyperparameter values, close to what the Python container's `int()` and
/// `float()` accepted: surrounding whitespace is ignored, a sign is allowed, and nothing else is — no
/// `"30.0"` for an integer, no hex, `inf` or `nan` for a float.
enum HyperparameterParsing {
    static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A decimal integer, e.g. `"30"`, `" +5 "`.
    static func integer(_ text: String) -> Int? {
        let body = trimmed(text)
        let digits = body.first == "+" || body.first == "-" ? body.dropFirst() : Substring(body)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(body.first == "+" ? String(digits) : body)
    }

    /// A finite decimal float, e.g. `"0.001"`, `"1e-3"`, `".5"`, `"1"`.
    static func float(_ text: String) -> Double? {
        let body = trimmed(text)
        let allowed = Set("0123456789+-.eE")
        guard !body.isEmpty, body.allSatisfy({ allowed.contains($0) }), body.contains(where: \.isNumber) else { return nil }
        guard let value = Double(body), value.isFinite else { return nil }
        return value
    }

    /// `True`/`False` in any case, or `1`/`0`.
    static func boolean(_ text: String) -> Bool? {
        switch trimmed(text).lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: return nil
        }
    }
}

/// A real interval such as `(0, 1]`, printed the way the documentation writes ranges.
struct Interval: Sendable {
    var lower: Double
    var upper: Double
    var includesLower: Bool
    var includesUpper: Bool

    static func open(_ lower: Double, _ upper: Double) -> Interval {
        Interval(lower: lower, upper: upper, includesLower: false, includesUpper: false)
    }
    static func leftOpen(_ lower: Double, _ upper: Double) -> Interval {
        Interval(lower: lower, upper: upper, includesLower: false, includesUpper: true)
    }
    static func closed(_ lower: Double, _ upper: Double) -> Interval {
        Interval(lower: lower, upper: upper, includesLower: true, includesUpper: true)
    }

    func contains(_ value: Double) -> Bool {
        (includesLower ? value >= lower : value > lower) && (includesUpper ? value <= upper : value < upper)
    }

    var description: String {
        func format(_ bound: Double) -> String { bound == bound.rounded() ? String(Int(bound)) : String(bound) }
        return "\(includesLower ? "[" : "(")\(format(lower)), \(format(upper))\(includesUpper ? "]" : ")")"
    }
}
