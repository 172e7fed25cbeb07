import Testing

@testable import ModelCore

@Suite("Quickselect: order statistics without a full sort")
struct QuickselectTests {
    @Test("every position of arrays with many duplicates matches a sort, and the buffer is partitioned around it")
    func matchesSort() {
        var random = TestRandom(seed: 9)
        for count in [1, 2, 3, 17, 500] {
            let values = (0..<count).map { _ in Int(random.next() % 12) }
            let sorted = values.sorted()
            for k in 0..<count {
                var work = values
                let picked = work.withUnsafeMutableBufferPointer { Quickselect.select($0, k) }
                #expect(picked == sorted[k], "count \(count), k \(k)")
                #expect(work[..<k].allSatisfy { $0 <= picked } && work[(k + 1)...].allSatisfy { $0 >= picked })
                #expect(work.sorted() == sorted)
            }
        }
    }

    @Test("top-k ranking keys: the k smallest come first, whatever their order before")
    func smallestKeys() {
        var random = TestRandom(seed: 4)
        var generator = SeededGenerator(seed: 5)
        let keys = Array(Set((0..<2000).map { _ in random.next() % 100_000 })).shuffled(using: &generator)
        var work = keys
        ScoreRanking.selectSmallest(&work, 400)
        #expect(Set(work.prefix(400)) == Set(keys.sorted().prefix(400)))
    }
}
