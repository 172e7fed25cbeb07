/// A minimal JSON writer with caller-chosen key order and Python's `json.dumps` spacing (`", "`, `": "`),
/// for byte-deterministic manifest lines.
struct JSONLineWriter {
    private(set) var text = ""
    /// Whether the next value in the current object or array needs a `", "` before it.
    private var needsComma = false

    mutating func beginObject() {
        separate()
        text += "{"
        needsComma = false
    }

    mutating func endObject() {
        text += "}"
        needsComma = true
    }

    /// An object key; the value must follow.
    mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        text += ": "
        needsComma = false
    }

    mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        needsComma = true
    }

    mutating func integer(_ value: Int) {
        separate()
        text += String(value)
        needsComma = true
    }

    /// A finite number: whole values without a fraction (`177`) unless `alwaysFloat` (`177.0`, as Python
    /// writes a float), others in shortest round-trip form (`95.39999999999998`).
    mutating func number(_ value: Double, alwaysFloat: Bool = false) throws {
        guard value.isFinite else { throw GroundTruthManifestError(line: 0, reason: "cannot write \(value) as a JSON number") }
        separate()
        if !alwaysFloat, value.rounded() == value, abs(value) < 1e15 {
            text += String(Int64(value))
        } else {
            text += value.description
        }
        needsComma = true
    }

    /// A JSON array of `items`, each written by `element`.
    mutating func array<T>(_ items: [T], _ element: (inout JSONLineWriter, T) throws -> Void) rethrows {
        separate()
        text += "["
        needsComma = false
        for item in items { try element(&self, item) }
        text += "]"
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { text += ", " }
    }

    private mutating func appendQuoted(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
