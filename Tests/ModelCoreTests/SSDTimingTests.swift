import ModelCore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall time of the SSD training-side box machinery at SageMaker's default batch (32) on SSD300 (8,732 anchors),
/// one object class. Release only asserts the budget; run it with
/// `swift build -c release --product apiaryPackageTests -Xswiftc -enable-testing && swift test -c release --skip-build
/// --filter SSDTimingTests -Xswiftc -enable-testing` (debug builds print the times without checking them).
///
/// Times are this thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), so a machine busy with other work does not
/// inflate them; wall time is printed alongside.
@Suite("SSD loss timing")
struct SSDTimingTests {
    /// CPU time of the calling thread spent in `body`, and wall time, in milliseconds.
    static func measure(_ body: () -> Void) -> (cpu: Double, wall: Double) {
        func cpuNow() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) * 1e3 + Double(time.tv_nsec) * 1e-6
        }
        let clock = ContinuousClock()
        let cpuStart = cpuNow()
        let wall = clock.measure(body)
        let cpu = cpuNow() - cpuStart
        return (cpu, Double(wall.components.seconds) * 1e3 + Double(wall.components.attoseconds) * 1e-15)
    }

    @Test("MultiBoxLoss on B=32, P=8732, C+1=2 takes well under 50 ms on one core")
    func lossTime() {
        let anchors = DefaultBoxes.ssd300VGG16
        let assigner = TargetAssigner(anchors: anchors)
        let batch = 32
        var random = TestRandom(seed: 99)
        let truth = (0..<batch).map { image in
            (0..<(1 + image % 3)).map { _ in
                let width = 0.1 + 0.2 * (random.uniform() + 1)
                let height = 0.1 + 0.2 * (random.uniform() + 1)
                return GroundTruthBox(
                    classID: 0,
                    box: BoundingBox(
                        x: (1 - width) * (random.uniform() + 1) / 2,
                        y: (1 - height) * (random.uniform() + 1) / 2,
                        width: width,
                        height: height
                    )
                )
            }
        }
        let logits = random.uniform(batch * anchors.count * 2)
        let locations = random.uniform(batch * anchors.count * 4)
        let loss = MultiBoxLoss()

        #if DEBUG
        let repeats = 1
        #else
        let repeats = 15
        #endif
        var targets: [AnchorTargets] = []
        var assignTimes: [(cpu: Double, wall: Double)] = []
        var lossTimes: [(cpu: Double, wall: Double)] = []
        var output: MultiBoxLoss.Output?
        for _ in 0..<repeats {
            assignTimes.append(Self.measure { targets = truth.map { assigner($0) } })
            lossTimes.append(Self.measure { output = loss(locations: locations, classLogits: logits, targets: targets) })
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let assignMedian = median(assignTimes.map(\.cpu))
        let lossMedian = median(lossTimes.map(\.cpu))
        print(
            "SSD timing (B=32, P=8732, C+1=2), median of \(repeats), CPU (wall): target assignment \(assignMedian) ms "
                + "(\(median(assignTimes.map(\.wall))) ms), MultiBoxLoss \(lossMedian) ms (\(median(lossTimes.map(\.wall))) ms)"
        )
        #expect(output.map { $0.negativeCount == 3 * $0.positiveCount } == true)
        #if !DEBUG
        #expect(lossMedian < 25, "loss \(lossMedian) ms")
        #expect(assignMedian < 50, "assignment \(assignMedian) ms")
        #endif
    }
}
