import ModelCore
import Testing

@Suite("Weight average: the served model of apiary-mobile")
struct WeightAverageTests {
    @Test("the decay warms up as (1 + n) / (10 + n) and is capped")
    func decay() {
        let average = WeightAverage(state: [Parameter(name: "w", dims: [1])], decay: 0.99)
        #expect(average.decay(atUpdate: 1) == Float(2) / 11)
        #expect(average.decay(atUpdate: 90) == Float(91) / 100)
        #expect(average.decay(atUpdate: 10_000) == 0.99)
    }

    @Test("each update mixes the state in with that update's decay, every element (vector body and tail)")
    func update() {
        let weight = Parameter(name: "w", dims: [11])  // one 8-lane chunk and a 3-lane tail
        weight.assign((0..<11).map(Float.init))
        var average = WeightAverage(state: [weight], decay: 0.999)
        var expected = (0..<11).map(Float.init)
        for n in 1...3 {
            weight.assign((0..<11).map { Float($0) * Float(n + 1) })
            average.update(from: [weight])
            let d = Float(1 + n) / Float(10 + n)
            expected = expected.enumerated().map { i, e in d * e + (1 - d) * Float(i) * Float(n + 1) }
        }
        #expect(average.updates == 3)
        #expect(average.tensors[0].values == expected)
        #expect(average.tensors[0].name == "w" && average.tensors[0].dims == [11])
    }
}
