import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started in its own session (so killing its process group also kills every grandchild), with
/// stdout and stderr merged into one non-blocking pipe, an environment built from scratch and no other descriptor
/// of the daemon (nothing is inherited: not the listening socket, not a database). A watcher in its session holds a
/// lifeline pipe whose other end only the daemon has: when the daemon ends, however it ends, the watcher kills the
/// session's process group. A reader thread hands output to `onOutput` and reports the exit to `onExit`.
final class SessionProcess: Sendable {
    let pid: pid_t
    private let output: Int32
    /// The daemon's end of the lifeline; closing it ends the whole process group.
    private let lifeline: Int32
    /// Whether the pipe has closed (and its descriptor with it).
    private let closed = Mutex(false)

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+; its header hides it from Swift), looked up at run time.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32).self)
    }()

    /// glibc's `POSIX_SPAWN_SETSID` (not exported to Swift): the child calls `setsid()` before `exec`.
    private static let spawnSetSID: Int16 = 0x80

    private init(pid: pid_t, output: Int32, lifeline: Int32) {
        self.pid = pid
        self.output = output
        self.lifeline = lifeline
    }

    deinit { close(lifeline) }

    /// The child's `/bin/sh`: changes directory (leaving no `PWD` behind), moves the lifeline (its stdin) to descriptor 3 for the watcher (an
    /// asynchronous list's own stdin is /dev/null), then `exec`s the command without it, keeping the pid.
    private static let script = """
        cd "$0" || exit 126
        unset PWD OLDPWD
        exec 3<&0 </dev/null
        ( read -r _ <&3; kill -KILL 0 ) >/dev/null 2>&1 &
        exec "$@" 3<&-
        """

    /// Starts `command` in `directory` (through `/bin/sh`, which changes directory and `exec`s it, keeping the pid);
    /// `environment` is the child's whole environment. (A factory, not a throwing initialiser: Swift 6.3's release
    /// build crashes on a throwing class initialiser whose class holds a `Mutex`.)
    static func spawn(command: [String], environment: [String: String], directory: String) throws -> SessionProcess {
        var fds: [Int32] = [0, 0]
        var lifeline: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SessionProcessError("pipe failed: errno \(errno)") }
        guard pipe(&lifeline) == 0 else {
            fds.forEach { close($0) }
            throw SessionProcessError("pipe failed: errno \(errno)")
        }
        // Close-on-exec, so no other child inherits the write ends (their EOFs tell this process, or the daemon, has ended).
        for fd in fds + lifeline { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, lifeline[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        // Every other descriptor of the daemon (the listening socket, connections, SQLite files) stays behind.
        guard let closeFrom = Self.addCloseFrom, closeFrom(&actions, 3) == 0 else {
            (fds + lifeline).forEach { close($0) }
            throw SessionProcessError("this C library cannot close a child's descriptors (posix_spawn_file_actions_addclosefrom_np, glibc 2.34+)")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Self.spawnSetSID)

        let argv = (["/bin/sh", "-c", script, directory] + command).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, envp)
        close(fds[1])
        close(lifeline[0])
        guard status == 0 else {
            close(fds[0])
            close(lifeline[1])
            throw SessionProcessError("could not start \(command[0]): \(String(cString: strerror(status)))")
        }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        return SessionProcess(pid: child, output: fds[0], lifeline: lifeline[1])
    }

    /// Starts the reader thread: output chunks go to `onOutput` (also from `drain()`), and once the pipe closes
    /// the process is reaped and `onExit` gets its wait status description.
    func start(onOutput: @escaping @Sendable ([UInt8]) -> Void, onExit: @escaping @Sendable (String) -> Void) {
        let thread = Thread { [self] in
            var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            while true {
                _ = poll(&poller, 1, -1)
                if !drain(into: onOutput) { break }
            }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let signal = status & 0x7f
            onExit(signal == 0 ? "exit status \((status >> 8) & 0xff)" : "signal: \(signal == SIGKILL ? "killed" : String(signal))")
        }
        thread.name = "lambda-output-\(pid)"
        thread.start()
    }

    /// Reads whatever output is buffered right now. - Returns: false once the pipe has closed.
    @discardableResult
    func drain(into onOutput: @Sendable ([UInt8]) -> Void) -> Bool {
        closed.withLock { closed in
            if closed { return false }
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(output, &buffer, buffer.count)
                if count > 0 {
                    onOutput(Array(buffer[..<count]))
                } else if count == 0 {
                    closed = true
                    close(output)
                    return false
                } else {
                    return errno == EAGAIN || errno == EINTR
                }
            }
        }
    }

    /// SIGKILL to the whole process group (the runtime and anything it started).
    func killGroup() {
        kill(-pid, SIGKILL)
    }
}

/// A process that could not be started.
struct SessionProcessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
