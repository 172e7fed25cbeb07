import ServiceLifecycleTestKit
import Synchronization
import Testing

@testable import LambdaAPI

/// The reaper is a timer on an injected clock that graceful shutdown ends: driven here tick by tick.
@Suite("Lambda reaper")
struct LambdaReaperTests {
    @Test("reaps once per tick of its clock, never before the clock moves, and ends at graceful shutdown")
    func ticks() async throws {
        let clock = ManualClock()
        let reaps = Mutex(0)
        let reaper = LambdaReaper(interval: .seconds(30), clock: clock) { reaps.withLock { $0 += 1 } }
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await reaper.run() }
                for tick in 0..<3 {
                    await clock.sleeperArrived()
                    #expect(reaps.withLock { $0 } == tick)
                    clock.advance(by: .seconds(29))
                    #expect(reaps.withLock { $0 } == tick)
                    clock.advance(by: .seconds(1))
                }
                await clock.sleeperArrived()
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(reaps.withLock { $0 } == 3)
    }
}
