import LabelStore
import Testing

@Suite("Random sample of a manifest")
struct RandomSampleTests {
    static let manifest = (0..<500).map { #"{"source-ref": "s3://bees/images/\#($0).jpg"}"# }.joined(separator: "\n") + "\n"

    @Test("2% of 500 is 10 lines, the same for the same seed, different for another")
    func twoPercent() {
        let first = RandomSample.manifest(Self.manifest, seed: 42)
        #expect(first.kept == 10 && first.total == 500)
        #expect(first.text.split(separator: "\n").count == 10)
        #expect(RandomSample.manifest(Self.manifest, seed: 42).text == first.text)
        #expect(RandomSample.manifest(Self.manifest, seed: 43).text != first.text)
        // Kept verbatim and in the manifest's order.
        let kept = first.text.split(separator: "\n").map(String.init)
        let all = Self.manifest.split(separator: "\n").map(String.init)
        #expect(kept.allSatisfy(all.contains))
        #expect(kept.map { all.firstIndex(of: $0)! } == kept.map { all.firstIndex(of: $0)! }.sorted())
    }

    @Test("an 80/20 split puts every line in exactly one part, in order, the sample part equal to the sample")
    func split() {
        let parts = RandomSample.split(Self.manifest, percent: 80, seed: 7)
        #expect(parts.kept == 400 && parts.total == 500)
        #expect(parts.sample == RandomSample.manifest(Self.manifest, percent: 80, seed: 7).text)
        let (sample, rest) = (parts.sample.split(separator: "\n"), parts.rest.split(separator: "\n"))
        #expect(sample.count == 400 && rest.count == 100)
        #expect(Set(sample).isDisjoint(with: rest))
        let all = Self.manifest.split(separator: "\n")
        #expect(Set(sample).union(rest) == Set(all))
        #expect(rest == all.filter { !Set(sample).contains($0) })
    }

    @Test("sizes round half up, a non-empty manifest keeps at least one line, 100% keeps all")
    func sizes() {
        #expect(RandomSample.size(of: 500, percent: 2) == 10)
        #expect(RandomSample.size(of: 25, percent: 2) == 1)
        #expect(RandomSample.size(of: 75, percent: 2) == 2)
        #expect(RandomSample.size(of: 0, percent: 2) == 0)
        #expect(RandomSample.size(of: 7, percent: 100) == 7)
        #expect(RandomSample.indices(count: 7, percent: 100, seed: 1) == Array(0..<7))
    }

    @Test("every line is equally likely to be picked")
    func uniform() {
        var hits = [Int](repeating: 0, count: 20)
        for seed in 0..<2_000 { for i in RandomSample.indices(count: 20, percent: 25, seed: UInt64(seed)) { hits[i] += 1 } }
        // 2,000 draws of 5 of 20: each line expects 500 hits; ±100 is over 4 standard deviations (σ ≈ 19).
        #expect(hits.allSatisfy { abs($0 - 500) < 100 }, "\(hits)")
    }
}
