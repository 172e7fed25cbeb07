import Foundation

/// The objects under `s3://bucket/prefix/`, copied through the daemon's S3 API into a temporary folder (one file
/// per key, at its path below the prefix), so `ctl datasets import` reads them as it reads any folder.
struct S3FolderDownload {
    /// The temporary folder; `remove()` deletes it.
    let folder: URL
    /// `s3://bucket/prefix/`, what each file's path is relative to (the default `source-ref` prefix).
    let uri: String
    /// Keys that cannot be a file's path below the folder (`..`, `.` or empty segments), and why.
    let skipped: [(key: String, reason: String)]

    /// Downloads every object whose key starts with the prefix (taken as a folder: a `/` is added to a prefix
    /// that lacks one). - Throws: `ValidationError` for a URI without a bucket; `APICallError` from S3.
    static func download(_ uri: String, client: APIClient) async throws -> S3FolderDownload {
        let path = uri.dropFirst("s3://".count)
        let bucket = String(path.prefix { $0 != "/" })
        var prefix = String(path.dropFirst(bucket.count + 1))
        guard !bucket.isEmpty else { throw CLIError("'\(uri)' names no bucket; use s3://bucket/prefix/", exitCode: 64) }
        if !prefix.isEmpty, !prefix.hasSuffix("/") { prefix += "/" }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-s3-import-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var skipped: [(key: String, reason: String)] = []
        do {
            for key in try await client.objectKeys(bucket: bucket, prefix: prefix) where !key.hasSuffix("/") {
                let relative = String(key.dropFirst(prefix.count))
                guard relative.split(separator: "/", omittingEmptySubsequences: false).allSatisfy({ !["", ".", ".."].contains($0) }) else {
                    skipped.append((key, "the key has an empty, '.' or '..' path segment below \(prefix.isEmpty ? "the bucket" : prefix)"))
                    continue
                }
                let bytes = try await client.object(bucket: bucket, key: key)
                let file = folder.appendingPathComponent(relative)
                do {
                    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try bytes.write(to: file)
                } catch {
                    skipped.append((key, "cannot be stored as a file (\(error.localizedDescription))"))
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        return S3FolderDownload(folder: folder, uri: "s3://\(bucket)/\(prefix)", skipped: skipped)
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}
