/// S3's bucket naming rules: 3–63 characters of lowercase letters, digits, `-` and `.`, starting and ending with a
/// letter or digit, no `..`, and not an IP address. Such a name is also a safe directory name (never `.`, `..` or
/// one of the store's own `.`-names).
enum BucketName {
    static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alnum(_ b: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) }
        guard alnum(bytes.first!), alnum(bytes.last!) else { return false }
        guard bytes.allSatisfy({ alnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }), !name.contains("..") else { return false }
        return !isIPAddress(name)
    }

    private static func isIPAddress(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }
    }
}
