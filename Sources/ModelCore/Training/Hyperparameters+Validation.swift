/// Reads one typed value per hyperparameter from the merged strings, throwing the `ClientError`-style
/// `HyperparameterError` that names the hyperparameter, echoes the offending value and states what is valid.
struct HyperparameterReader {
    let values: [String: String]

    /// The merged string (every known name has one: the default or the supplied value).
    func raw(_ name: String) -> String { values[name] ?? "" }

    private func invalid(_ name: String, _ expected: String) -> HyperparameterError {
        .invalidValue(name: name, value: raw(name), expected: expected)
    }

    /// An integer `≥ minimum`.
    func integer(_ name: String, atLeast minimum: Int, expected: String? = nil) throws -> Int {
        let description = expected ?? (minimum == 1 ? "a positive integer" : "an integer >= \(minimum)")
        guard let value = HyperparameterParsing.integer(raw(name)), value >= minimum else { throw invalid(name, description) }
        return value
    }

    /// A float inside `interval`.
    func float(_ name: String, in interval: Interval) throws -> Double {
        guard let value = HyperparameterParsing.float(raw(name)), interval.contains(value) else {
            throw invalid(name, "a float in \(interval.description)")
        }
        return value
    }

    /// One of an enumeration's raw values, exactly (surrounding whitespace ignored).
    func choice<Choice: RawRepresentable & CaseIterable>(_ name: String) throws -> Choice where Choice.RawValue == String {
        guard let value = Choice(rawValue: HyperparameterParsing.trimmed(raw(name))) else {
            throw invalid(name, "one of " + Choice.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))
        }
        return value
    }

    /// `True`/`False` in any case, or `1`/`0`.
    func boolean(_ name: String) throws -> Bool {
        guard let value = HyperparameterParsing.boolean(raw(name)) else { throw invalid(name, "True or False") }
        return value
    }

    /// `0` or `1`, for the documentation's int-typed switches.
    func binary(_ name: String) throws -> Bool {
        switch HyperparameterParsing.integer(raw(name)) {
        case 0: return false
        case 1: return true
        default: throw invalid(name, "0 or 1")
        }
    }
}
