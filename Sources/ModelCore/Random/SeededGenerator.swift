import Foundation

/// A small, fast, seedable random number generator (SplitMix64), so that weight initialisation,
/// augmentation and shuffling are identical for a given seed on every machine and every run.
///
/// Swift's `SystemRandomNumberGenerator` cannot be seeded; Foundation's generators differ across platforms.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
    /// The whole state: saving it in a checkpoint resumes the exact same sequence.
    public private(set) var state: UInt64

    /// - Parameter seed: any value; equal seeds give equal sequences.
    public init(seed: UInt64) { state = seed }

    /// A generator for a sub-stream (an image index, a layer), independent of how many numbers others drew.
    public func derived(_ stream: UInt64) -> SeededGenerator {
        var mixer = SeededGenerator(seed: state ^ (stream &* 0xD6E8_FEB8_6659_FD93))
        return SeededGenerator(seed: mixer.next())
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)` with 24 random bits.
    public mutating func nextUniform() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// Standard normal (Box–Muller; one of the pair is discarded for simplicity and determinism).
    public mutating func nextNormal() -> Float {
        let u1 = max(Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0), 1e-300)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}
