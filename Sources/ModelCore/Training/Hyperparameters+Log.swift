/// The configuration lines of the training log (spec §5.2), which notebooks parse.
///
/// The container ran on Python 2.7 and logged its dictionaries with `%s`, i.e. as `repr` of a dict of
/// `unicode` strings: `{u'label_width': u'350', u'epochs': u'30'}`. The Ground Truth object-detection
/// notebook extracts `num_training_samples` with `msg.split('num_training_samples\': u\'')[1]`, so that exact
/// shape is kept. Python 2 printed keys in hash order; we print them sorted, so logs are reproducible.
extension ObjectDetectionHyperparameters {
    /// Where the container read its defaults.
    public static let defaultConfigurationPath = "/opt/amazon/lib/python2.7/site-packages/algorithm/default-input.json"
    /// Where SageMaker puts the job's hyperparameters.
    public static let providedConfigurationPath = "/opt/ml/input/config/hyperparameters.json"

    /// `Reading default configuration from …/default-input.json: {u'…': u'…', …}`.
    public static var defaultConfigurationLogMessage: String {
        "Reading default configuration from \(defaultConfigurationPath): \(python2DictLiteral(containerDefaults))"
    }

    /// `Reading provided configuration from …/hyperparameters.json: {…}`; printed before validation, so it
    /// takes the raw strings.
    public static func providedConfigurationLogMessage(_ raw: [String: String]) -> String {
        "Reading provided configuration from \(providedConfigurationPath): \(python2DictLiteral(raw))"
    }

    /// `Final configuration: {…}` with every resolved hyperparameter.
    public var finalConfigurationLogMessage: String {
        "Final configuration: \(Self.python2DictLiteral(resolved()))"
    }

    /// Python 2's `repr` of a `dict` of `unicode` to `unicode`, keys sorted: `{u'a': u'1', u'b': u''}`.
    public static func python2DictLiteral(_ dict: [String: String]) -> String {
        let items = dict.keys.sorted().map { "\(python2UnicodeLiteral($0)): \(python2UnicodeLiteral(dict[$0]!))" }
        return "{" + items.joined(separator: ", ") + "}"
    }

    /// Python 2's `repr` of a `unicode` string (wide build): `u'…'`, or `u"…"` when the text contains `'`
    /// but no `"`; the quote and `\` escaped; `\t \n \r` by name; other control and non-ASCII characters as
    /// `\xhh`, `\uhhhh` or `\Uhhhhhhhh`.
    public static func python2UnicodeLiteral(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = "u\(quote)"
        for scalar in text.unicodeScalars {
            let code = scalar.value
            switch scalar {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if Character(scalar) == quote {
                    out += "\\\(quote)"
                } else if code >= 0x10000 {
                    out += "\\U" + hex(code, digits: 8)
                } else if code >= 0x100 {
                    out += "\\u" + hex(code, digits: 4)
                } else if code < 0x20 || code >= 0x7F {
                    out += "\\x" + hex(code, digits: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
