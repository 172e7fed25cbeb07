import AWSProtocol
import Foundation

/// Function packages on disk, one directory per distinct zip (`<root>/<sha256 hex>/`): the zip as uploaded
/// (`code.zip`, what GetFunction's `Code.Location` serves) and its unpacked tree (`task/`, `LAMBDA_TASK_ROOT`).
struct LambdaCodeStore: Sendable {
    let root: URL

    /// What a stored package is known by.
    struct Package: Sendable {
        /// Hex SHA-256: the directory name.
        var key: String
        /// base64 SHA-256, FunctionConfiguration's `CodeSha256`.
        var sha256: String
        var size: Int
    }

    /// Stores and unpacks `zip`. - Throws: `InvalidParameterValueException` when it is not a zip or holds a
    /// symbolic link out of the function's directory (refused from the zip's directory before unpacking, and on
    /// disk after it for chains of links).
    func store(_ zip: [UInt8]) throws -> Package {
        try LambdaZipLinks.check(zip)
        let digest = Digest.sha256(zip)
        let package = Package(key: Digest.hex(digest), sha256: Data(digest).base64EncodedString(), size: zip.count)
        let directory = root.appendingPathComponent(package.key)
        if FileManager.default.fileExists(atPath: taskRoot(package.key)) { return package }
        let staging = root.appendingPathComponent(".staging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: staging.appendingPathComponent("task"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: staging) }
        try Data(zip).write(to: staging.appendingPathComponent("code.zip"))
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        unzip.arguments = ["unzip", "-qq", "-o", staging.appendingPathComponent("code.zip").path, "-d", staging.appendingPathComponent("task").path]
        unzip.standardOutput = FileHandle.nullDevice
        unzip.standardError = FileHandle.nullDevice
        try unzip.run()
        unzip.waitUntilExit()
        guard unzip.terminationStatus == 0 else {
            throw AWSError("InvalidParameterValueException", "Could not unzip uploaded file. Please check your file, then try to upload again.")
        }
        try Self.checkLinks(in: staging.appendingPathComponent("task"))
        try? FileManager.default.moveItem(at: staging, to: directory)
        return package
    }

    /// Refuses a package with a symbolic link that leads out of its own tree (`/etc/passwd`, `../../state.sqlite`):
    /// checked on the link's text and, when its target exists, on the path it really reaches.
    static func checkLinks(in task: URL) throws {
        let fileManager = FileManager.default
        let base = task.resolvingSymlinksInPath().standardizedFileURL.path
        let inside = { (path: String) in path == base || path.hasPrefix(base + "/") }
        guard let walk = fileManager.enumerator(at: task, includingPropertiesForKeys: [.isSymbolicLinkKey]) else { return }
        for case let url as URL in walk {
            guard (try? url.resourceValues(forKeys: [.isSymbolicLinkKey]))?.isSymbolicLink == true else { continue }
            let text = (try? fileManager.destinationOfSymbolicLink(atPath: url.path)) ?? "/"
            let directory = url.deletingLastPathComponent().resolvingSymlinksInPath()
            let named = (text.hasPrefix("/") ? URL(fileURLWithPath: text) : directory.appendingPathComponent(text)).standardizedFileURL.path
            let reached = fileManager.fileExists(atPath: url.path) ? url.resolvingSymlinksInPath().standardizedFileURL.path : named
            guard inside(named), inside(reached) else {
                throw linkOutside(String(url.path.dropFirst(task.path.count + 1)), text)
            }
        }
    }

    /// The refusal of the link `name` whose text is `target`.
    static func linkOutside(_ name: String, _ target: String) -> AWSError {
        AWSError(
            "InvalidParameterValueException",
            "The package's symbolic link '\(name)' points outside the function's directory (to '\(target)'); include the file itself instead.")
    }

    func taskRoot(_ key: String) -> String { root.appendingPathComponent(key).appendingPathComponent("task").path }
    func zip(_ key: String) -> URL { root.appendingPathComponent(key).appendingPathComponent("code.zip") }
}
