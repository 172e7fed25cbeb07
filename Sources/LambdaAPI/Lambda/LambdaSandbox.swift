import AWSProtocol
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What keeps a Lambda function's process away from the daemon's data. A daemon running as root runs its functions
/// as the unprivileged system user `nobody` (through util-linux's `setpriv`, groups cleared, no new privileges), and
/// keeps `APIARY_HOME` closed to other users (umask 077; the databases, the object store and job directories are the
/// daemon's alone). Each environment gets its own copy of the function's code (`/var/task`'s role) beside its `HOME`
/// and `TMPDIR`, in a work directory outside the home (`/tmp/apiary-lambda-<hash of its lambda folder>`): the only files a
/// function can reach besides the system's. A daemon running as another user has no lower user to switch to: its
/// functions run as that user, from the home.
package struct LambdaSandbox: Sendable {
    /// The user functions run as; nil when they run as the daemon's user.
    let user: (uid: uid_t, gid: gid_t)?

    static let userName = "nobody"

    static let setpriv = "/usr/bin/setpriv"

    /// `nobody` when the daemon is root (and util-linux's `setpriv` is there to switch), else nobody to switch to.
    static func forCurrentProcess() -> LambdaSandbox {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: setpriv), let entry = getpwnam(userName) else {
            return LambdaSandbox(user: nil)
        }
        return LambdaSandbox(user: (entry.pointee.pw_uid, entry.pointee.pw_gid))
    }

    /// What the runtime's command is prefixed with to drop to `user`.
    var commandPrefix: [String] {
        guard let user else { return [] }
        return [Self.setpriv, "--reuid=\(user.uid)", "--regid=\(user.gid)", "--clear-groups", "--no-new-privs", "--"]
    }

    /// Functions' `PATH`: the system's directories for a sandboxed function (an interpreter under the daemon's home,
    /// such as pyenv's in /root, is out of its reach), else the daemon's own.
    var path: String {
        user == nil ? ProcessInfo.processInfo.environment["PATH"] ?? Self.systemPath : Self.systemPath
    }

    static let systemPath = "/usr/local/bin:/usr/bin:/bin"

    /// Where a sandboxed python function finds boto3, as Lambda's python runtimes provide it (`scripts/setup.sh`
    /// installs it there, readable by every user).
    static let pythonLibraries = "/usr/local/lib/apiary/lambda-python"

    /// The runtime's libraries a sandboxed function gets after its own code on `PYTHONPATH`; none otherwise.
    var runtimeLibraries: [String] {
        user != nil && FileManager.default.fileExists(atPath: Self.pythonLibraries) ? [Self.pythonLibraries] : []
    }

    /// What `command` prints (trimmed) when run as the functions' user with their `PATH`, or nil when it cannot run
    /// or fails: how runtimes are probed, so the interpreter found is one the function can run.
    func output(_ command: [String]) -> String? {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let libraries = runtimeLibraries.map { "PYTHONPATH=\($0)" }
        process.arguments = commandPrefix + ["/usr/bin/env", "PATH=\(path)"] + libraries + command
        process.environment = ["PATH": path]
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let printed = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: printed, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Where environments and the runtime client live: `root` itself without a sandbox user; else a fresh directory
    /// outside the home, traversable by all (the home may sit under a directory `nobody` cannot enter, such as /root),
    /// named after the home so a restart clears what a killed daemon left.
    func workRoot(for root: URL) -> URL {
        guard user != nil else { return root }
        let directory = Self.workDirectory(forRoot: root)
        try? FileManager.default.removeItem(at: directory)
        if mkdir(directory.path, 0o711) == 0 {
            chmod(directory.path, 0o711)
            return directory
        }
        // Someone else made that name first: a random one instead.
        var template = Array("/tmp/apiary-lambda-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { return root }
        chmod(made, 0o711)
        return URL(fileURLWithPath: String(cString: made))
    }

    /// The work directory of a sandboxed daemon whose Lambda root is `root` (`<home>/lambda`),
    /// `/tmp/apiary-lambda-<hash of the root>`: removed at a graceful stop, and by the next start on that home after a
    /// daemon was killed.
    package static func workDirectory(forRoot root: URL) -> URL {
        let name = "apiary-lambda-" + Digest.hex(Digest.sha256(Array(root.standardizedFileURL.path.utf8))).prefix(16)
        return URL(fileURLWithPath: "/tmp").appendingPathComponent(name)
    }

    /// The code directory an environment runs in: the stored package itself without a sandbox user; else a copy in
    /// the environment's `directory`, readable by the function's user.
    func taskRoot(copying stored: String, into directory: URL, under workRoot: URL) throws -> String {
        guard user != nil else { return stored }
        let task = directory.appendingPathComponent("task")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: stored, toPath: task.path)
        Self.openForReading(task, under: workRoot)
        return task.path
    }

    /// Gives `directory` (an environment's `home/` and `tmp/`) to the function's user.
    func handOver(_ directory: URL) {
        guard let user else { return }
        for path in [directory.path] + ["home", "tmp"].map({ directory.appendingPathComponent($0).path }) {
            chown(path, user.uid, user.gid)
        }
        chmod(directory.path, 0o700)
    }

    /// Closes `home` to other users (what a function's user could otherwise read): every new file the daemon writes is
    /// its own (umask 077), and what earlier runs left readable is closed now.
    package static func lockDown(home: URL) {
        umask(0o077)
        chmod(home.path, 0o700)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: home.path)) ?? []
        for name in names {
            let path = home.appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            chmod(path, isDirectory.boolValue ? 0o700 : 0o600)
        }
    }

    /// Makes `path` (function code, the runtime client) and everything under it readable by the function's user, and
    /// the directories leading to it from `home` (the work root) traversable.
    static func openForReading(_ path: URL, under home: URL) {
        var directory = path.deletingLastPathComponent()
        while directory.path.count > home.path.count && directory.path.hasPrefix(home.path) {
            chmod(directory.path, 0o711)
            directory = directory.deletingLastPathComponent()
        }
        let walk = FileManager.default.enumerator(atPath: path.path)
        chmod(path.path, 0o755)
        while let relative = walk?.nextObject() as? String {
            let item = path.appendingPathComponent(relative).path
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: item, isDirectory: &isDirectory)
            var info = stat()
            guard lstat(item, &info) == 0, info.st_mode & S_IFMT != S_IFLNK else { continue }
            chmod(item, isDirectory.boolValue || info.st_mode & 0o100 != 0 ? 0o755 : 0o644)
        }
    }
}
