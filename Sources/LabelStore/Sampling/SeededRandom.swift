/// A seedable pseudo-random generator (SplitMix64) whose sequence depends only on its seed.
///
/// The sample dataset must be byte-identical on every run and machine, so it never touches the system
/// generator, and every draw (`unit()`, `uniform`, `int`, `normal`) is built from integer arithmetic and
/// IEEE-exact float operations only — no platform `random(in:)` algorithm that could change between toolchains.
struct SeededRandom {
    private var state: UInt64

    /// A generator whose whole sequence is a function of `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// A generator for one item of a larger job, e.g. `SeededRandom(seed: 7, stream: 1, 42)` for image 42 of
    /// split 1. Different streams of one seed are statistically independent.
    init(seed: UInt64, stream: UInt64...) {
        var mixed = Self.mix(seed)
        for value in stream { mixed = Self.mix(mixed ^ Self.mix(value &+ 0x632B_E59B_D9B4_E019)) }
        state = mixed
    }

    /// The SplitMix64 finaliser: a bijective 64-bit hash.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A new generator seeded from this one, for a sub-task whose number of draws may change independently.
    mutating func fork() -> SeededRandom {
        SeededRandom(seed: next())
    }

    /// Uniform in `[0, 1)` with 24 bits of precision.
    mutating func unit() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in `[low, high)`.
    mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * unit()
    }

    /// Uniform integer in `range` (multiply-high reduction; the bias is below 2⁻³² for small ranges).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    /// `true` with probability `probability`.
    mutating func chance(_ probability: Float) -> Bool {
        unit() < probability
    }

    /// Approximately standard normal (Irwin–Hall sum of four uniforms, rescaled to unit variance).
    mutating func normal() -> Float {
        (unit() + unit() + unit() + unit() - 2) * 1.732_050_8
    }

    /// An element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T {
        items[int(0...(items.count - 1))]
    }

    /// An index chosen with probability proportional to `weights[index]`.
    mutating func weighted(_ weights: [Float]) -> Int {
        let total = weights.reduce(0, +)
        var target = unit() * total
        for (index, weight) in weights.enumerated() {
            if target < weight { return index }
            target -= weight
        }
        return weights.count - 1
    }
}
