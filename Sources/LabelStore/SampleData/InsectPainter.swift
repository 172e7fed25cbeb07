import Foundation

/// Insects that are not bees — distractors a bee detector must ignore: a dark-grey fly with red eyes and
/// clear wings, a red ladybird with black spots, and a butterfly with patterned wings.
enum InsectPainter {
    enum Kind: CaseIterable {
        case fly, ladybird, butterfly
    }

    /// Paints one insect of `kind` through `frame` (body length = `frame.length`).
    static func paint(_ kind: Kind, _ canvas: inout Canvas, frame: BodyFrame, random: inout SeededRandom) {
        switch kind {
        case .fly: fly(&canvas, frame, &random)
        case .ladybird: ladybird(&canvas, frame, &random)
        case .butterfly: butterfly(&canvas, frame, &random)
        }
    }

    private static func legs(_ canvas: inout Canvas, _ frame: BodyFrame, _ random: inout SeededRandom, reach: Float, radius: Float) {
        let colour = Paint.rgb(0.08, 0.07, 0.07)
        for s: Float in [1, -1] {
            for (hipX, kneeX, footX) in [(Float(0.12), Float(0.2), Float(0.3)), (0.06, 0.05, -0.02), (0.0, -0.08, -0.25)] {
                let hip = SIMD2(hipX, s * 0.05)
                let knee = SIMD2(kneeX, s * reach * 0.6) + SIMD2(random.normal(), random.normal()) * 0.02
                let foot = SIMD2(footX, s * reach) + SIMD2(random.normal(), random.normal()) * 0.03
                canvas.fill(Framed(Capsule(hip, knee, radius: radius), frame)) { _, _, _ in colour }
                canvas.fill(Framed(Capsule(knee, foot, radius: radius * 0.8, endRadius: radius * 0.5), frame)) { _, _, _ in colour }
            }
        }
    }

    private static func fly(_ canvas: inout Canvas, _ frame: BodyFrame, _ random: inout SeededRandom) {
        legs(&canvas, frame, &random, reach: 0.32, radius: 0.014)
        let grey = random.uniform(0.12, 0.3)
        let sheen = random.chance(0.3) ? Paint.rgb(0.1, 0.35, 0.25) : Paint.rgb(grey, grey, grey * 1.08)
        canvas.fill(Framed(Ellipse(center: SIMD2(-0.22, 0), radii: SIMD2(0.24, 0.16)), frame)) { _, _, s in
            Paint.shade(sheen, Paint.roundShade(s.local, gloss: 0.45))
        }
        canvas.fill(Framed(Ellipse(center: SIMD2(0.08, 0), radii: SIMD2(0.15, 0.13)), frame)) { _, _, s in
            // Thin grey lengthwise stripes on the thorax, never yellow bands.
            let stripe = 0.85 + 0.25 * Paint.smoothstep(0.6, 0.9, cos(s.local.y * 9))
            return Paint.shade(Paint.rgb(grey * 1.3, grey * 1.3, grey * 1.35), stripe * Paint.roundShade(s.local, gloss: 0.2))
        }
        canvas.fill(Framed(Ellipse(center: SIMD2(0.27, 0), radii: SIMD2(0.08, 0.12)), frame)) { _, _, _ in Paint.rgb(0.12, 0.1, 0.1) }
        let eye = Paint.rgb(random.uniform(0.45, 0.7), random.uniform(0.1, 0.2), 0.08)
        for s: Float in [1, -1] {
            canvas.fill(Framed(Ellipse(center: SIMD2(0.28, s * 0.065), radii: SIMD2(0.07, 0.055)), frame)) { _, _, e in
                Paint.shade(eye, Paint.roundShade(e.local, gloss: 0.3))
            }
        }
        let spread = random.uniform(0.2, 0.6)
        for s: Float in [1, -1] {
            let angle = Float.pi - s * spread
            let direction = SIMD2(cos(angle), sin(angle))
            let wing = Ellipse(center: SIMD2(0.1, s * 0.05) + direction * 0.26, radii: SIMD2(0.26, 0.09), angle: angle)
            canvas.fill(Framed(wing, frame)) { _, _, w in
                let r = (w.local.x * w.local.x + w.local.y * w.local.y).squareRoot()
                return Paint.rgb(0.8, 0.82, 0.85, 0.18 + 0.4 * Paint.smoothstep(0.85, 1, r))
            }
        }
    }

    private static func ladybird(_ canvas: inout Canvas, _ frame: BodyFrame, _ random: inout SeededRandom) {
        legs(&canvas, frame, &random, reach: 0.36, radius: 0.02)
        canvas.fill(Framed(Ellipse(center: SIMD2(0.33, 0), radii: SIMD2(0.1, 0.16)), frame)) { _, _, s in
            // Black pronotum with white patches.
            abs(s.local.y) > 0.55 ? Paint.rgb(0.9, 0.9, 0.85) : Paint.rgb(0.06, 0.05, 0.05)
        }
        let red = Paint.rgb(random.uniform(0.75, 0.9), random.uniform(0.08, 0.25), 0.05)
        let spots = (0..<random.int(2...7)).map { _ in SIMD2(random.uniform(-0.7, 0.6), random.uniform(-0.75, 0.75)) }
        canvas.fill(Framed(Ellipse(center: SIMD2(-0.05, 0), radii: SIMD2(0.34, 0.3)), frame)) { _, _, s in
            var colour = red
            if abs(s.local.y) < 0.03 { colour = Paint.rgb(0.1, 0.03, 0.02) }
            for spot in spots {
                let d = (s.local - spot)
                if d.x * d.x + d.y * d.y < 0.03 { colour = Paint.rgb(0.05, 0.04, 0.04) }
            }
            return Paint.shade(colour, Paint.roundShade(s.local, gloss: 0.6))
        }
    }

    private static func butterfly(_ canvas: inout Canvas, _ frame: BodyFrame, _ random: inout SeededRandom) {
        let base = random.pick([Paint.rgb(0.95, 0.5, 0.1), Paint.rgb(0.95, 0.95, 0.92), Paint.rgb(0.35, 0.5, 0.95), Paint.rgb(0.55, 0.3, 0.15)])
        let edge = Paint.rgb(0.08, 0.06, 0.05)
        let open = random.uniform(0.5, 1)
        // (tip angle from the head direction, length, half-width) for fore- and hindwings.
        for s: Float in [1, -1] {
            for (angle, length, width) in [(Float(0.5), Float(0.75), Float(0.24)), (1.9, 0.55, 0.22)] {
                let direction = SIMD2(cos(angle), s * sin(angle) * open)
                let wing = Blade(base: SIMD2(0.05, 0), tip: direction * length, halfWidth: width, fullness: 0.45)
                canvas.fill(Framed(wing, frame)) { _, _, w in
                    let rim = Paint.smoothstep(0.75, 0.85, max(w.local.x, abs(w.local.y)))
                    var colour = Paint.mix(base, edge, rim)
                    let dot = (w.local.x - 0.9) * (w.local.x - 0.9) + (abs(w.local.y) - 0.5) * (abs(w.local.y) - 0.5)
                    if dot < 0.01 { colour = Paint.rgb(0.95, 0.95, 0.95) }
                    return Paint.shade(colour, 0.8 + 0.25 * w.local.x)
                }
            }
        }
        canvas.fill(Framed(Capsule(SIMD2(-0.4, 0), SIMD2(0.3, 0), radius: 0.035), frame)) { _, _, _ in Paint.rgb(0.1, 0.09, 0.08) }
        for s: Float in [1, -1] {
            canvas.fill(Framed(Capsule(SIMD2(0.3, 0), SIMD2(0.6, s * 0.12), radius: 0.008), frame)) { _, _, _ in Paint.rgb(0.1, 0.09, 0.08) }
            canvas.fill(Framed(Ellipse(center: SIMD2(0.6, s * 0.12), radii: SIMD2(0.025, 0.025)), frame)) { _, _, _ in Paint.rgb(0.1, 0.09, 0.08) }
        }
    }
}
