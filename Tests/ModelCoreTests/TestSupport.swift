import ModelCore
import Testing

/// Seeded test data: ModelCore's own generator, so every test run sees the same numbers.
struct TestRandom {
    private var generator: SeededGenerator
    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }
    mutating func next() -> UInt64 { generator.next() }
    /// Uniform in [-1, 1).
    mutating func uniform() -> Float { generator.nextUniform() * 2 - 1 }
    /// `count` uniform values in [-1, 1).
    mutating func uniform(_ count: Int) -> [Float] { (0..<count).map { _ in uniform() } }
}

/// Expects `actual ≈ expected` elementwise: |a − e| ≤ atol + rtol·|e|.
func expectClose(
    _ actual: [Float],
    _ expected: [Float],
    atol: Float,
    rtol: Float,
    _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    var worst: (index: Int, excess: Float) = (-1, 0)
    for i in 0..<min(actual.count, expected.count) {
        let excess = abs(actual[i] - expected[i]) - (atol + rtol * abs(expected[i]))
        if excess > worst.excess { worst = (i, excess) }
    }
    #expect(
        worst.index < 0,
        "\(what): index \(worst.index) is \(worst.index < 0 ? 0 : actual[worst.index]), expected \(worst.index < 0 ? 0 : expected[worst.index])",
        sourceLocation: sourceLocation
    )
}

/// The dot product, used to turn a layer's output into a scalar loss `L = Σ y·r` for gradient checks.
func dot(_ a: [Float], _ b: [Float]) -> Double {
    zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}
