/// Everything that makes one drawn bee differ from another, apart from where it is: species colouring,
/// viewpoint, wing spread, leg pose, pollen, fur. Chosen once per bee from the image's generator.
struct BeeLook {
    enum Species {
        /// Amber abdomen with dark bands, golden-brown thorax.
        case honeybee
        /// Rounder and furrier: black with yellow bands and a pale or orange tail.
        case bumblebee
    }

    var species: Species
    /// Seen from the side (legs hang on one side, wings raised) rather than from above.
    var sideView: Bool
    /// Angle between folded wings and the body axis, radians (≈0.15 at rest, ≈1.3 spread).
    var wingSpread: Float
    /// Offsets of the 6 knees and 6 feet from their rest positions, body units.
    var legJitter: [SIMD2<Float>]
    /// How far the antennae bend outwards, body units.
    var antennaBend: Float
    /// Orange pollen loads on the hind legs.
    var pollen: Bool
    /// The light colour (amber or yellow) of the bands.
    var light: SIMD4<Float>
    /// The dark colour of bands, head and legs.
    var dark: SIMD4<Float>
    /// Thorax fur colour.
    var fur: SIMD4<Float>
    /// Bumblebee tail colour.
    var tail: SIMD4<Float>
    /// Abdomen length and width factors (≈1).
    var abdomenScale: SIMD2<Float>
    /// How many light/dark segment pairs the abdomen shows.
    var segments: Float
    /// Fur and outline noise.
    var noise: ValueNoise

    static func random(_ random: inout SeededRandom) -> BeeLook {
        let species: Species = random.chance(0.62) ? .honeybee : .bumblebee
        let sideView = random.chance(0.3)
        let wingSpread = random.chance(0.55) ? random.uniform(0.12, 0.45) : random.uniform(0.45, 1.35)
        let legJitter = (0..<12).map { _ in SIMD2(random.normal() * 0.03, random.normal() * 0.03) }
        let tone = random.uniform(0.85, 1.12)
        let light: SIMD4<Float>
        let dark = Paint.rgb(random.uniform(0.07, 0.16), random.uniform(0.05, 0.1), random.uniform(0.03, 0.07))
        let fur: SIMD4<Float>
        let tail: SIMD4<Float>
        switch species {
        case .honeybee:
            light = Paint.rgb(0.88 * tone, random.uniform(0.52, 0.66) * tone, random.uniform(0.12, 0.24) * tone)
            fur = Paint.rgb(0.62 * tone, 0.47 * tone, 0.27 * tone)
            tail = dark
        case .bumblebee:
            light = Paint.rgb(0.96 * tone, random.uniform(0.76, 0.86) * tone, random.uniform(0.2, 0.34) * tone)
            fur = light
            tail = random.chance(0.5) ? Paint.rgb(0.93, 0.91, 0.86) : Paint.rgb(0.9, 0.5, 0.16)
        }
        return BeeLook(
            species: species,
            sideView: sideView,
            wingSpread: wingSpread,
            legJitter: legJitter,
            antennaBend: random.uniform(-0.03, 0.05),
            pollen: species == .honeybee ? random.chance(0.3) : random.chance(0.15),
            light: light,
            dark: dark,
            fur: fur,
            tail: tail,
            abdomenScale: species == .honeybee
                ? SIMD2(random.uniform(0.9, 1.12), random.uniform(0.9, 1.05))
                : SIMD2(random.uniform(0.85, 1.0), random.uniform(1.1, 1.3)),
            segments: random.uniform(4.5, 5.5),
            noise: ValueNoise(&random)
        )
    }
}
