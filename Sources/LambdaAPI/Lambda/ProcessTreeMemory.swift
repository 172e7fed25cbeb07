import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The memory of a runtime process and everything it started, read from `/proc` (Linux): what Apiary measures
/// against a function's `MemorySize` in place of Lambda's cgroup limit.
struct ProcessTreeMemory: Sendable, Equatable {
    /// Sum of the processes' resident sets now (`VmRSS`), in bytes.
    var resident: Int
    /// The largest resident set any one of them has had (`VmHWM`), in bytes.
    var peak: Int

    /// `root` and its descendants (found through `/proc/<pid>/task/<tid>/children`); zero once `root` is gone.
    static func sample(root: pid_t) -> ProcessTreeMemory {
        var memory = ProcessTreeMemory(resident: 0, peak: 0)
        var pending = [root]
        var seen = Set<pid_t>()
        while let pid = pending.popLast(), seen.insert(pid).inserted {
            guard let status = read("/proc/\(pid)/status") else { continue }
            memory.resident += kilobytes("VmRSS:", in: status) * 1024
            memory.peak = max(memory.peak, kilobytes("VmHWM:", in: status) * 1024)
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            for task in tasks {
                pending += (read("/proc/\(pid)/task/\(task)/children") ?? "").split(separator: " ").compactMap { pid_t($0) }
            }
        }
        return memory
    }

    /// A `/proc` file's text (they report size 0, so read to the end rather than by size).
    private static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count > 0 {
                bytes += buffer[..<count]
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The kB figure of a `/proc/<pid>/status` line such as `VmRSS:     41236 kB` (0 when absent, e.g. a zombie).
    private static func kilobytes(_ key: String, in status: String) -> Int {
        guard let range = status.range(of: key) else { return 0 }
        let rest = status[range.upperBound...].prefix { $0 != "\n" }
        return Int(rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? 0
    }
}
