/// A minimal POSIX ustar archive of regular files, enough for `model.tar.gz` (three flat files) and readable
/// by GNU tar, Python's `tarfile` and SageMaker's own tooling.
public enum TarArchive {
    /// One file in an archive.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var contents: [UInt8]
        public init(name: String, contents: [UInt8]) {
            self.name = name
            self.contents = contents
        }
    }

    /// Writes entries as a tar stream (512-byte blocks, two zero blocks at the end).
    /// - Parameter modificationTime: seconds since 1970 stored for every file (fixed for reproducible artifacts).
    public static func write(_ entries: [Entry], modificationTime: Int = 0) throws -> [UInt8] {
        var output: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            guard !name.isEmpty, name.count <= 100 else { throw ArtifactError("tar entry name must be 1…100 bytes: '\(entry.name)'") }
            var header = [UInt8](repeating: 0, count: 512)
            header.replaceSubrange(0..<name.count, with: name)
            func octal(_ value: Int, _ offset: Int, _ width: Int) {
                let digits = Array(String(value, radix: 8).utf8)
                let padded = [UInt8](repeating: UInt8(ascii: "0"), count: width - 1 - digits.count) + digits
                header.replaceSubrange(offset..<(offset + width - 1), with: padded)
            }
            octal(0o644, 100, 8)
            octal(0, 108, 8)
            octal(0, 116, 8)
            octal(entry.contents.count, 124, 12)
            octal(modificationTime, 136, 12)
            header[156] = UInt8(ascii: "0")
            header.replaceSubrange(257..<263, with: Array("ustar\0".utf8))
            header.replaceSubrange(263..<265, with: Array("00".utf8))
            header.replaceSubrange(148..<156, with: [UInt8](repeating: UInt8(ascii: " "), count: 8))
            let checksum = header.reduce(0) { $0 + Int($1) }
            let digits = Array(String(checksum, radix: 8).utf8)
            header.replaceSubrange(148..<155, with: [UInt8](repeating: UInt8(ascii: "0"), count: 6 - digits.count) + digits + [0])
            output += header
            output += entry.contents
            output += [UInt8](repeating: 0, count: (512 - entry.contents.count % 512) % 512)
        }
        output += [UInt8](repeating: 0, count: 1024)
        return output
    }

    /// Reads the regular files of a tar stream; directories and other entry types are skipped.
    /// - Throws: `ArtifactError` for a bad checksum or a truncated archive.
    public static func read(_ data: [UInt8]) throws -> [Entry] {
        var entries: [Entry] = []
        var offset = 0
        while offset + 512 <= data.count {
            let header = data[offset..<(offset + 512)]
            if header.allSatisfy({ $0 == 0 }) { return entries }
            func field(_ start: Int, _ width: Int) -> [UInt8] {
                Array(header[(offset + start)..<(offset + start + width)].prefix { $0 != 0 })
            }
            func number(_ start: Int, _ width: Int) -> Int? {
                Int(String(decoding: field(start, width), as: UTF8.self).trimmingSpaces, radix: 8)
            }
            var unsigned = Array(header)
            unsigned.replaceSubrange(148..<156, with: [UInt8](repeating: UInt8(ascii: " "), count: 8))
            guard let size = number(124, 12), let checksum = number(148, 8), checksum == unsigned.reduce(0, { $0 + Int($1) }) else {
                throw ArtifactError("not a tar archive (bad header at byte \(offset))")
            }
            let prefix = String(decoding: field(345, 155), as: UTF8.self)
            var name = String(decoding: field(0, 100), as: UTF8.self)
            if !prefix.isEmpty { name = prefix + "/" + name }
            let type = header[offset + 156]
            let start = offset + 512
            guard start + size <= data.count else { throw ArtifactError("truncated tar archive: '\(name)' needs \(size) bytes") }
            if type == UInt8(ascii: "0") || type == 0 {
                if name.hasPrefix("./") { name.removeFirst(2) }
                entries.append(Entry(name: name, contents: Array(data[start..<(start + size)])))
            }
            offset = start + (size + 511) / 512 * 512
        }
        throw ArtifactError("truncated tar archive: no end-of-archive marker")
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
