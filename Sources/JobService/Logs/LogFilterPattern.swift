import AWSProtocol

/// A CloudWatch Logs filter pattern for unstructured events, as FilterLogEvents takes it: terms (case-sensitive
/// substrings) that must all appear, `"quoted phrases"`, `-term` for terms that must not appear, and `?term`
/// alternatives of which at least one must appear. Empty matches everything. JSON (`{ $.x = … }`) and
/// space-delimited (`[a, b]`) patterns are refused with InvalidParameterException.
struct LogFilterPattern: Sendable {
    private var required: [String] = []
    private var excluded: [String] = []
    private var alternatives: [String] = []

    init(_ pattern: String) throws {
        let text = pattern.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("{") || text.hasPrefix("[") || text.hasPrefix("%") {
            throw AWSError("InvalidParameterException", "Apiary supports only term and phrase filter patterns, not: \(pattern)")
        }
        var rest = Substring(text)
        while let first = rest.first {
            if first == " " {
                rest = rest.dropFirst()
                continue
            }
            let prefix = first == "-" || first == "?" ? first : nil
            if prefix != nil { rest = rest.dropFirst() }
            let term: Substring
            if rest.first == "\"" {
                let body = rest.dropFirst()
                guard let close = body.firstIndex(of: "\"") else {
                    throw AWSError("InvalidParameterException", "Invalid filter pattern: unbalanced quote in \(pattern)")
                }
                term = body[..<close]
                rest = body[body.index(after: close)...]
            } else {
                term = rest.prefix { $0 != " " }
                rest = rest.dropFirst(term.count)
            }
            guard !term.isEmpty else { continue }
            switch prefix {
            case "-": excluded.append(String(term))
            case "?": alternatives.append(String(term))
            default: required.append(String(term))
            }
        }
    }

    func matches(_ message: String) -> Bool {
        required.allSatisfy { message.contains($0) } && !excluded.contains { message.contains($0) }
            && (alternatives.isEmpty || alternatives.contains { message.contains($0) })
    }
}
