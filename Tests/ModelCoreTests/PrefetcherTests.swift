import Testing

@testable import ModelCore

@Suite("Prefetcher: work run ahead on the idle-priority loader, or by the caller when the loader has not begun")
struct PrefetcherTests {
    struct Failed: Error, Equatable { let index: Int }

    @Test("each take returns the value of the last start, in order, whoever ran it; errors reach take")
    func values() throws {
        let prefetcher = Prefetcher<Int>()
        defer { prefetcher.cancel() }
        for index in 0..<50 {
            prefetcher.start { _ in
                if index % 7 == 3 { throw Failed(index: index) }
                return index * index
            }
            if index % 7 == 3 {
                #expect(throws: Failed(index: index)) { try prefetcher.take() }
            } else {
                #expect(try prefetcher.take() == index * index)
            }
        }
    }

    @Test("cancel waits for a running prefetch and ends the loader; a cancelled prefetcher with nothing pending is fine")
    func cancel() {
        let running = Prefetcher<[Int]>()
        running.start { _ in (0..<100_000).map { $0 &* 3 } }
        running.cancel()
        let idle = Prefetcher<Int>()
        idle.cancel()
    }
}
