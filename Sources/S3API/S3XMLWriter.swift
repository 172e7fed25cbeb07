/// Builds S3's XML response bodies: a prolog, a root element in S3's namespace, nested elements with escaped text.
package struct S3XMLWriter {
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"
    private(set) var document = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"

    /// A document whose root is `root` (in S3's namespace unless `namespaced` is false) holding what `body` writes.
    init(root: String, namespaced: Bool = true, _ body: (inout S3XMLWriter) -> Void) {
        document += namespaced ? "<\(root) xmlns=\"\(Self.namespace)\">" : "<\(root)>"
        body(&self)
        document += "</\(root)>"
    }

    /// `<name>value</name>`, the value escaped.
    mutating func element(_ name: String, _ value: String) {
        document += "<\(name)>\(Self.escape(value))</\(name)>"
    }

    /// `<name>` around what `body` writes.
    mutating func element(_ name: String, _ body: (inout S3XMLWriter) -> Void) {
        document += "<\(name)>"
        body(&self)
        document += "</\(name)>"
    }

    /// Escaped text inside the current element.
    mutating func text(_ value: String) {
        document += Self.escape(value)
    }

    var bytes: [UInt8] { Array(document.utf8) }

    /// `&`, `<`, `>`, `"`, `'` as entities, and control characters as character references.
    package static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case _ where scalar.value < 0x20 && scalar != "\t": out += "&#x\(String(scalar.value, radix: 16));"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
