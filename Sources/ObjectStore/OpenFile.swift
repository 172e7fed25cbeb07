import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor with positional reads and writes that retry on `EINTR` and short counts; closed when
/// the last reference goes. Positional I/O shares no file offset, so one open file may serve concurrent readers.
final class OpenFile: Sendable {
    let descriptor: Int32
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// Opens `path` for reading; nil when it does not exist.
    static func openForReading(_ path: String) throws -> OpenFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw ObjectStoreError.io("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        return OpenFile(descriptor: fd, path: path)
    }

    /// Creates `path`, which must not exist yet, for writing.
    static func create(_ path: String) throws -> OpenFile {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ObjectStoreError.io("cannot create \(path): \(String(cString: strerror(errno)))") }
        return OpenFile(descriptor: fd, path: path)
    }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at the end of the file.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw ObjectStoreError.io("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Exactly `count` bytes at `offset`. - Throws: when the file ends before.
    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = try bytes.withUnsafeMutableBytes { try read(at: offset, into: $0) }
        guard n == count else { throw ObjectStoreError.io("\(path) is shorter than expected") }
        return bytes
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw ObjectStoreError.io("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }

    /// The file's size in bytes and its modification time.
    func status() throws -> (size: Int64, modified: Date) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ObjectStoreError.io("cannot stat \(path): \(String(cString: strerror(errno)))") }
        let modified = Date(timeIntervalSince1970: TimeInterval(status.st_mtim.tv_sec) + TimeInterval(status.st_mtim.tv_nsec) / 1e9)
        return (Int64(status.st_size), modified)
    }

    /// Flushes the file's data and metadata to the disk.
    func sync() throws {
        guard fsync(descriptor) == 0 else { throw ObjectStoreError.io("cannot fsync \(path): \(String(cString: strerror(errno)))") }
    }

    /// Makes a rename or unlink inside `directory` durable.
    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Renames `source` to `destination` atomically, replacing a file there. - Returns: the failing `errno`, or nil.
    static func rename(_ source: String, to destination: String) -> Int32? {
        Foundation.rename(source, destination) == 0 ? nil : errno
    }
}
