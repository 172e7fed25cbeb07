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

    /// Stores and unpacks `zip`. - Throws: `InvalidParameterValueException` when it is not a zip, or holds an entry
    /// outside the function's directory or a symbolic link (`LambdaPackageArchive`).
    func store(_ zip: [UInt8]) throws -> Package {
        let digest = Digest.sha256(zip)
        let package = Package(key: Digest.hex(digest), sha256: Data(digest).base64EncodedString(), size: zip.count)
        let directory = root.appendingPathComponent(package.key)
        if FileManager.default.fileExists(atPath: taskRoot(package.key)) { return package }
        let staging = root.appendingPathComponent(".staging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: staging.appendingPathComponent("task"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: staging) }
        try LambdaPackageArchive.unpack(zip, into: staging.appendingPathComponent("task"))
        try Data(zip).write(to: staging.appendingPathComponent("code.zip"))
        try? FileManager.default.moveItem(at: staging, to: directory)
        return package
    }

    func taskRoot(_ key: String) -> String { root.appendingPathComponent(key).appendingPathComponent("task").path }
    func zip(_ key: String) -> URL { root.appendingPathComponent(key).appendingPathComponent("code.zip") }
}
