/// The population a generated dataset is drawn from: which settings, how large and how many bees, how much
/// clutter and how often a bee is cut off by the border.
///
/// `course` is the built-in sample (shaped like the course's 500 photos; the demo and every test use it).
/// `field` is a second population that no default was tuned on, for honest quality figures: more open
/// ground (meadow, soil, wood) than foliage, smaller and more numerous bees, twice the distractors and twice
/// the truncated bees — closer to field photos than to close-ups.
public struct SampleStyle: Sendable, Equatable {
    /// The style's name, as `ctl datasets generate-sample --style` takes it.
    public let name: String
    /// Relative frequency of foliage, meadow, sky, soil, flower bed and wood backgrounds.
    public let backgroundWeights: [Float]
    /// Relative frequency of 0, 1, 2, 3 and 4 bees in an image.
    public let beeCountWeights: [Float]
    /// Every bee's length is multiplied by a factor drawn uniformly from this range.
    public let beeScale: ClosedRange<Float>
    /// The most out-of-focus and in-focus distractors (flowers, leaves) per image; 3 in `course`.
    public let maximumDistractors: Int
    /// Probability that an image has other insects (flies, ladybirds, butterflies).
    public let insectChance: Float
    /// Probability that a bee is placed across the border.
    public let truncationChance: Float

    /// The built-in sample's population.
    public static let course = SampleStyle(
        name: "course",
        backgroundWeights: [0.3, 0.2, 0.1, 0.12, 0.18, 0.1],
        beeCountWeights: [0.04, 0.66, 0.17, 0.08, 0.05],
        beeScale: 1...1,
        maximumDistractors: 3,
        insectChance: 0.4,
        truncationChance: 0.12
    )

    /// A second population for held-out quality figures (see the type's documentation).
    public static let field = SampleStyle(
        name: "field",
        backgroundWeights: [0.1, 0.3, 0.05, 0.25, 0.1, 0.2],
        beeCountWeights: [0.05, 0.35, 0.3, 0.18, 0.12],
        beeScale: 0.45...1,
        maximumDistractors: 6,
        insectChance: 0.7,
        truncationChance: 0.25
    )

    /// Every named style.
    public static let all = [course, field]

    /// The style named `name`, if there is one.
    public static func named(_ name: String) -> SampleStyle? { all.first { $0.name == name } }
}
