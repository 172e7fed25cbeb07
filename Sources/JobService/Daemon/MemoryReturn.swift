import AsyncAlgorithms
import Foundation
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Gives freed heap memory back to the system. glibc keeps what a burst of requests freed in its arenas, so a daemon's
/// resident size only ever grew (717 MB after a fuzzing pass that needed little of it at once); trimming the heap
/// every half minute lets it shrink back once the burst is over.
struct MemoryReturn: Service {
    static let interval = Duration.seconds(30)

    /// glibc's `malloc_trim` (its header is not part of Swift's Glibc module), looked up at run time.
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()

    /// Trims the heap every `interval` until the daemon shuts down (never, on a C library without `malloc_trim`).
    func run() async throws {
        guard let trim = Self.trim else { return try await gracefulShutdown() }
        for await _ in AsyncTimerSequence(interval: Self.interval, clock: .continuous).cancelOnGracefulShutdown() { _ = trim(0) }
    }
}
