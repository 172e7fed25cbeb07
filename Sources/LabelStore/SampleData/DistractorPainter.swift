import Foundation

/// Flower colours, chosen so that some distractors share the bee's yellow.
enum FlowerPalette {
    static let petals: [SIMD4<Float>] = [
        Paint.rgb(0.95, 0.95, 0.93),  // white
        Paint.rgb(0.93, 0.55, 0.75),  // pink
        Paint.rgb(0.6, 0.35, 0.8),  // purple
        Paint.rgb(0.75, 0.65, 0.95),  // lavender
        Paint.rgb(0.98, 0.85, 0.2),  // yellow
        Paint.rgb(0.98, 0.6, 0.15),  // orange
        Paint.rgb(0.85, 0.15, 0.15),  // red
        Paint.rgb(0.35, 0.45, 0.9),  // blue
    ]
    static let centres: [SIMD4<Float>] = [
        Paint.rgb(0.98, 0.8, 0.15),  // yellow disc, like a daisy's
        Paint.rgb(0.95, 0.65, 0.1),
        Paint.rgb(0.4, 0.25, 0.1),  // brown, like a sunflower's
        Paint.rgb(0.85, 0.85, 0.4),
    ]
}

/// Paints the things in a bee photo that are not bees: flowers, leaves, and (in `InsectPainter`) other
/// insects. Flowers often carry a yellow centre and leaves can cover part of a bee, so a detector must learn
/// more than "yellow blob".
enum DistractorPainter {
    /// A flower head of radius `radius` pixels, tilted by `tilt` (1 = facing the camera), with petals of one
    /// palette colour. `feather` > 1 draws it out of focus.
    static func flower(
        _ canvas: inout Canvas,
        center: SIMD2<Float>,
        radius: Float,
        tilt: Float,
        random: inout SeededRandom,
        feather: Float = 1
    ) {
        let frame = BodyFrame(center: center, heading: random.uniform(0, 2 * .pi), length: radius, squash: tilt)
        let petalColour = random.pick(FlowerPalette.petals)
        let centreColour = random.pick(FlowerPalette.centres)
        let style = random.int(0...2)
        // 0: daisy (many narrow petals), 1: five to eight round petals, 2: two rings of petals.
        let count = [random.int(14...24), random.int(5...8), random.int(8...12)][style]
        let width: Float = [0.1, 0.32, 0.2][style]
        let rings: [Float] = style == 2 ? [1, 0.7] : [1]
        let disc = [random.uniform(0.18, 0.3), random.uniform(0.12, 0.22), random.uniform(0.2, 0.3)][style]
        let noise = ValueNoise(&random)
        for (ring, reach) in rings.enumerated() {
            let offset = Float(ring) * .pi / Float(count)
            for i in 0..<count {
                let angle = 2 * Float.pi * Float(i) / Float(count) + offset + random.normal() * 0.05
                let length = reach * random.uniform(0.85, 1.05)
                let direction = SIMD2(cos(angle), sin(angle))
                let petal = Blade(base: direction * (disc * 0.5), tip: direction * length, halfWidth: width * length, fullness: 0.55)
                let tone = random.uniform(0.85, 1.05) * (ring == 0 ? 1 : 0.9)
                canvas.fill(Framed(petal, frame), feather: feather) { _, _, s in
                    // Darker towards the base, faint lengthwise veins.
                    let vein = 0.94 + 0.06 * cos(s.local.y * 9)
                    return Paint.shade(petalColour, tone * vein * (0.75 + 0.3 * Paint.smoothstep(0, 0.5, s.local.x)))
                }
            }
        }
        canvas.fill(Framed(Ellipse(center: .zero, radii: SIMD2(disc, disc)), frame), feather: feather) { x, y, s in
            let p = frame.toBody(x, y) * 40
            let florets = 0.8 + 0.35 * noise.sample(p.x, p.y)
            return Paint.shade(centreColour, florets * Paint.roundShade(s.local, gloss: 0.1))
        }
    }

    /// A leaf from `base` to `tip` with a midrib; `opacity` < 1 for a thin, backlit leaf.
    static func leaf(
        _ canvas: inout Canvas,
        base: SIMD2<Float>,
        tip: SIMD2<Float>,
        width: Float,
        random: inout SeededRandom,
        feather: Float = 1
    ) {
        let colour = Paint.rgb(random.uniform(0.12, 0.35), random.uniform(0.3, 0.55), random.uniform(0.05, 0.18))
        let noise = ValueNoise(&random)
        canvas.fill(Blade(base: base, tip: tip, halfWidth: width, fullness: random.uniform(0.6, 0.85)), feather: feather) { x, y, s in
            let rib = 1 - Paint.smoothstep(0.03, 0.09, abs(s.local.y))
            let side = 0.9 + 0.12 * s.local.y
            let mottle = 0.9 + 0.2 * noise.sample(x / 12, y / 12)
            return Paint.mix(Paint.shade(colour, side * mottle), Paint.rgb(0.6, 0.75, 0.4), rib * 0.6)
        }
    }

    /// A single petal, used as an occluder drawn over part of a bee.
    static func petal(_ canvas: inout Canvas, base: SIMD2<Float>, tip: SIMD2<Float>, width: Float, random: inout SeededRandom) {
        let colour = random.pick(FlowerPalette.petals)
        canvas.fill(Blade(base: base, tip: tip, halfWidth: width, fullness: 0.55)) { _, _, s in
            Paint.shade(colour, (0.94 + 0.06 * cos(s.local.y * 9)) * (0.8 + 0.25 * Paint.smoothstep(0, 0.5, s.local.x)))
        }
    }

    /// A plant stem from `a` to `b`.
    static func stem(_ canvas: inout Canvas, from a: SIMD2<Float>, to b: SIMD2<Float>, radius: Float, feather: Float = 1) {
        canvas.fill(Capsule(a, b, radius: radius, endRadius: radius * 0.7), feather: feather) { _, _, s in
            Paint.shade(Paint.rgb(0.25, 0.45, 0.15), 1.1 - 0.4 * s.local.y * s.local.y)
        }
    }
}
