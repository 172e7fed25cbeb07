import Foundation

/// Reading and writing the files of an export folder, with errors that name the file.
enum LabelFiles {
    /// Writes `bytes` to `url`, creating its folder; replaces a file already there.
    static func write(_ bytes: some Sequence<UInt8>, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url, options: .atomic)
    }

    static func write(_ text: String, to url: URL) throws {
        try write(Array(text.utf8), to: url)
    }

    /// Writes each item's image as `folder/<fileName>`.
    static func writeImages(of set: LabelSet, into folder: URL, imageBytes: (LabelSet.Item) throws -> [UInt8]) throws {
        for item in set.items { try write(try imageBytes(item), to: folder.appendingPathComponent(item.fileName)) }
    }

    /// `path` itself, or `path/<name>` when `path` is a folder.
    static func file(_ path: URL, orInFolder name: String) -> URL {
        var isDirectory: ObjCBool = false
        let folder = FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) && isDirectory.boolValue
        return folder ? path.appendingPathComponent(name) : path
    }

    /// The contents of a file the import needs.
    static func read(_ url: URL) throws -> Data {
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw LabelStoreError(.notFound, "cannot read '\(url.path)': no such file")
        }
        return try Data(contentsOf: url)
    }

    static func readText(_ url: URL) throws -> String {
        guard let text = String(data: try read(url), encoding: .utf8) else { throw LabelStoreError(.invalid, "'\(url.path)' is not UTF-8 text") }
        return text
    }

    /// The regular files under `folder` (paths relative to it, sorted), hidden files excepted.
    /// - Throws: `LabelStoreError` (`.notFound`) when `folder` is not a folder.
    static func files(under folder: URL) throws -> [String] {
        let root = folder.standardizedFileURL.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue,
            let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else {
            throw LabelStoreError(.notFound, "'\(folder.path)' is not a folder")
        }
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        var names: [String] = []
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            let path = url.standardizedFileURL.path
            if path.hasPrefix(prefix) { names.append(String(path.dropFirst(prefix.count))) }
        }
        return names.sorted()
    }

    /// `name` without its extension: `hive2/0001.jpg` → `hive2/0001`.
    static func stem(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return name }
        return String(name[..<dot])
    }
}
