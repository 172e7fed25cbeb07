import AWSProtocol
import ModelCore

/// The symbolic links a function's zip declares, read from its central directory before anything is unpacked, so a
/// package with a link out of the function's directory is refused before `unzip` writes a byte: Apiary's safety
/// does not rest on how a given `unzip` orders links and the files beneath them.
enum LambdaZipLinks {
    /// The longest link text read (Linux's PATH_MAX); a longer one is refused.
    static let maximumTargetLength = 4096

    /// Refuses `zip` when a link's text is absolute or climbs above the package root (`../x`, `a/../../x`);
    /// `LambdaCodeStore.checkLinks` then checks, on disk, where chains of links really lead.
    /// - Throws: `InvalidParameterValueException` naming the link, or saying the zip cannot be read.
    static func check(_ zip: [UInt8]) throws {
        for (name, target) in try links(in: zip) where leaves(target, from: name) {
            throw LambdaCodeStore.linkOutside(name, target)
        }
    }

    /// Each link entry's path and text. Offsets and lengths are checked against the archive; the text of a stored
    /// or deflated entry is read (deflate through zlib, its CRC-32 checked).
    static func links(in zip: [UInt8]) throws -> [(name: String, target: String)] {
        let unreadable = AWSError("InvalidParameterValueException", "Could not unzip uploaded file. Please check your file, then try to upload again.")
        func word(_ offset: Int, _ size: Int) throws -> Int {
            guard offset >= 0, offset + size <= zip.count else { throw unreadable }
            return (0..<size).reduce(0) { $0 | Int(zip[offset + $1]) << (8 * $1) }
        }
        // End of central directory: the last `PK\5\6` within its 22 bytes plus a comment of at most 65535.
        guard let end = stride(from: zip.count - 22, through: max(0, zip.count - 22 - 65535), by: -1).first(where: { (try? word($0, 4)) == 0x0605_4b50 })
        else { throw unreadable }
        var entry = try word(end + 16, 4)
        var links: [(name: String, target: String)] = []
        for _ in 0..<(try word(end + 10, 2)) {
            guard try word(entry, 4) == 0x0201_4b50 else { throw unreadable }
            let (method, crc, compressed, size) = (try word(entry + 10, 2), try word(entry + 16, 4), try word(entry + 20, 4), try word(entry + 24, 4))
            let (nameLength, extraLength, commentLength) = (try word(entry + 28, 2), try word(entry + 30, 2), try word(entry + 32, 2))
            let mode = try word(entry + 38, 4) >> 16
            guard entry + 46 + nameLength <= zip.count else { throw unreadable }
            let name = String(decoding: zip[(entry + 46)..<(entry + 46 + nameLength)], as: UTF8.self)
            if mode & 0o170000 == 0o120000 {
                let local = try word(entry + 42, 4)
                guard try word(local, 4) == 0x0403_4b50 else { throw unreadable }
                guard size <= maximumTargetLength else { throw LambdaCodeStore.linkOutside(name, "\(size) bytes of link text") }
                let start = local + 30 + (try word(local + 26, 2)) + (try word(local + 28, 2))
                guard start + compressed <= zip.count else { throw unreadable }
                let data = Array(zip[start..<(start + compressed)])
                let text: [UInt8]
                switch method {
                case 0: text = data
                case 8:
                    // Raw deflate inside a gzip member whose trailer is the entry's CRC-32 and size: zlib checks both.
                    let trailer = (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) } + (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) }
                    guard let inflated = try? Gzip.decompress([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff] + data + trailer) else { throw unreadable }
                    text = inflated
                default: throw unreadable
                }
                links.append((name, String(decoding: text, as: UTF8.self)))
            }
            entry += 46 + nameLength + extraLength + commentLength
        }
        return links
    }

    /// Whether a link at `name` (a path in the package) with text `target` names a place outside the package,
    /// reading `..` lexically.
    static func leaves(_ target: String, from name: String) -> Bool {
        if target.hasPrefix("/") { return true }
        var depth = name.split(separator: "/").filter { $0 != "." }.count - 1
        for component in target.split(separator: "/") where component != "." {
            depth += component == ".." ? -1 : 1
            if depth < 0 { return true }
        }
        return false
    }
}
