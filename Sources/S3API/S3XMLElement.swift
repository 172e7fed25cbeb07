/// An element of an XML request body (`Delete`, `CompleteMultipartUpload`, `CreateBucketConfiguration`): its local
/// name (namespace prefix dropped), its text, its child elements. `parse` reads the small documents S3 clients send:
/// elements, text, entity and character references, CDATA, comments, a prolog; attributes are skipped.
struct S3XMLElement: Equatable {
    var name: String
    var text: String
    var children: [S3XMLElement]

    /// The children named `name`.
    func children(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }
    /// The text of the first child named `name`.
    func childText(_ name: String) -> String? { children.first { $0.name == name }?.text }

    /// The document's root element. - Throws: `S3Error.malformedXML` for anything that is not well-formed.
    static func parse(_ bytes: [UInt8]) throws(S3Error) -> S3XMLElement {
        var parser = Parser(bytes: bytes)
        guard let root = parser.document() else { throw S3Error.malformedXML() }
        return root
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func document() -> S3XMLElement? {
            skipMisc()
            guard let root = element(depth: 0) else { return nil }
            skipMisc()
            return i == bytes.count ? root : nil
        }

        /// Whitespace, the prolog, comments and processing instructions.
        mutating func skipMisc() {
            while true {
                skipWhitespace()
                if starts("<?") {
                    guard skip(past: "?>") else { return }
                } else if starts("<!--") {
                    guard skip(past: "-->") else { return }
                } else {
                    return
                }
            }
        }

        /// S3's request documents are three levels deep; deeper nesting is refused before it can exhaust the stack.
        static let maximumDepth = 16

        mutating func element(depth: Int) -> S3XMLElement? {
            guard depth < Self.maximumDepth, starts("<"), !starts("</") else { return nil }
            i += 1
            let qualified = name()
            guard !qualified.isEmpty else { return nil }
            // Attributes (xmlns and the like) carry nothing S3 needs.
            while i < bytes.count, bytes[i] != UInt8(ascii: ">"), !starts("/>") {
                if bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                    let quote = bytes[i]
                    i += 1
                    while i < bytes.count, bytes[i] != quote { i += 1 }
                }
                i += 1
            }
            let local = String(qualified.split(separator: ":").last ?? "")
            if starts("/>") {
                i += 2
                return S3XMLElement(name: local, text: "", children: [])
            }
            guard i < bytes.count else { return nil }
            i += 1
            var text = [UInt8]()
            var children: [S3XMLElement] = []
            while i < bytes.count {
                guard bytes[i] == UInt8(ascii: "<") || bytes[i] == UInt8(ascii: "&") else {
                    text.append(bytes[i])
                    i += 1
                    continue
                }
                if starts("</") {
                    i += 2
                    guard name() == qualified else { return nil }
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { return nil }
                    i += 1
                    return S3XMLElement(name: local, text: String(decoding: text, as: UTF8.self), children: children)
                } else if starts("<!--") {
                    guard skip(past: "-->") else { return nil }
                } else if starts("<![CDATA[") {
                    let start = i + 9
                    guard skip(past: "]]>") else { return nil }
                    text += bytes[start..<(i - 3)]
                } else if starts("<") {
                    guard let child = element(depth: depth + 1) else { return nil }
                    children.append(child)
                } else if bytes[i] == UInt8(ascii: "&") {
                    guard let decoded = reference() else { return nil }
                    text += decoded
                } else {
                    text.append(bytes[i])
                    i += 1
                }
            }
            return nil
        }

        mutating func name() -> String {
            let start = i
            while i < bytes.count, !isSpace(bytes[i]), ![UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "=")].contains(bytes[i]) { i += 1 }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#N;`, `&#xN;` as UTF-8.
        mutating func reference() -> [UInt8]? {
            guard let end = bytes[i...].firstIndex(of: UInt8(ascii: ";")), end - i <= 10 else { return nil }
            let entity = String(decoding: bytes[(i + 1)..<end], as: UTF8.self)
            i = end + 1
            switch entity {
            case "amp": return Array("&".utf8)
            case "lt": return Array("<".utf8)
            case "gt": return Array(">".utf8)
            case "quot": return Array("\"".utf8)
            case "apos": return Array("'".utf8)
            default:
                guard entity.hasPrefix("#") else { return nil }
                let digits = entity.dropFirst()
                let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                guard let value, let scalar = Unicode.Scalar(value) else { return nil }
                return Array(String(Character(scalar)).utf8)
            }
        }

        func starts(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - i >= count else { return false }
            return literal.withUTF8Buffer { bytes[i..<(i + count)].elementsEqual($0) }
        }

        /// Moves past the next `literal`. - Returns: false when there is none.
        mutating func skip(past literal: StaticString) -> Bool {
            while i < bytes.count {
                if starts(literal) {
                    i += literal.utf8CodeUnitCount
                    return true
                }
                i += 1
            }
            return false
        }

        mutating func skipWhitespace() {
            while i < bytes.count, isSpace(bytes[i]) { i += 1 }
        }

        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
    }
}
