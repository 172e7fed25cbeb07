import Foundation

/// Replaces a file so that a reader, or a daemon restarted after a crash, finds the old contents or the new
/// ones, never a torn file: write a temporary file in the same directory, fsync it, rename it over the target,
/// fsync the directory (so the rename itself is durable).
enum AtomicFile {
    static func save(_ bytes: [UInt8], to url: URL) throws {
        let directory = url.deletingLastPathComponent().path
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("create", temporary) }
        do {
            defer { close(fd) }
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { throw failure("write", temporary) }
                written += count
            }
            guard fsync(fd) == 0 else { throw failure("fsync", temporary) }
            guard rename(temporary, url.path) == 0 else { throw failure("rename over \(url.path)", temporary) }
        } catch {
            unlink(temporary)
            throw error
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { throw failure("open", directory) }
        defer { close(directoryFD) }
        guard fsync(directoryFD) == 0 else { throw failure("fsync", directory) }
    }

    private static func failure(_ operation: String, _ path: String) -> AlgorithmError {
        AlgorithmError("cannot \(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
