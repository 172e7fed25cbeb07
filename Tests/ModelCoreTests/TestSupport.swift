import ModelCore
import Testing

/// SplitMix64: a tiny deterministic generator so every test run sees the same numbers.
struct TestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    mutating func uniform() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }
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
