import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Gives freed heap memory back to the system. glibc keeps what a burst of requests freed in its arenas, so a daemon's
/// resident size only ever grew (717 MB after a fuzzing pass that needed little of it at once); trimming the heap
/// every half minute lets it shrink back once the burst is over.
enum MemoryReturn {
    static let interval = Duration.seconds(30)

    /// glibc's `malloc_trim` (its header is not part of Swift's Glibc module), looked up at run time.
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()

    /// Trims the heap every `interval` until the task is cancelled (never, on a C library without `malloc_trim`).
    static func run() async {
        guard let trim else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            _ = trim(0)
        }
    }
}
