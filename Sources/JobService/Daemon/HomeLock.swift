import Foundation
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The daemon's claim on its data folder: an exclusive `flock` on `$APIARY_HOME/daemon.lock`, held for the
/// daemon's life and dropped by the kernel when the process ends (even by SIGKILL). The daemon is the one owner of
/// the stores under its home — the label store, the control plane, the object store — so a second daemon on the
/// same home is refused before it opens any of them.
final class HomeLock: Sendable {
    private let descriptor: Int32

    /// - Throws: `HomeLockError` when another process holds the lock (naming its pid) or the file cannot be made.
    init(home: URL) throws {
        let path = home.appendingPathComponent("daemon.lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw HomeLockError("cannot create \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw HomeLockError(
                "another `ctl serve` or `ctl worker`\(holder.isEmpty ? "" : " (pid \(holder))") already serves the data folder \(home.path); "
                    + "use that daemon (ctl talks to it over --endpoint-url), stop it first, or start this one with another --home")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, pid, pid.count, 0)
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}

extension HomeLock: Service {
    /// Holds the claim while the daemon runs: the application keeps its services, so the lock goes when it does.
    func run() async throws { try? await gracefulShutdown() }
}

/// A data folder that another daemon serves, with what to do about it.
public struct HomeLockError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
