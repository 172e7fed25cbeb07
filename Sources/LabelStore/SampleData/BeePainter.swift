import Foundation

/// Draws one bee — striped furry abdomen, thorax, dark head with compound eyes, elbowed antennae, six
/// jointed legs and two pairs of translucent veined wings — into its own layer, then blurs it.
///
/// The layer tracks geometric coverage, so the bee's mask (and hence its box) includes every part as drawn,
/// wings, legs and antennae included, and shrinks where blur fades thin parts below half coverage.
enum BeePainter {
    /// Camera blur applied to the finished bee.
    struct Blur {
        /// Defocus, Gaussian σ in pixels (0 = sharp).
        var sigma: Float = 0
        /// Motion blur path, pixels.
        var motion: SIMD2<Float> = .zero
    }

    static func paint(_ look: BeeLook, frame: BodyFrame, blur: Blur = Blur()) -> Canvas {
        let motion = (blur.motion.x * blur.motion.x + blur.motion.y * blur.motion.y).squareRoot()
        let margin = Int((3 * blur.sigma + motion / 2).rounded(.up)) + 2
        var layer = Canvas(covering: frame.bounds(radius: 0.75), margin: margin, tracksShape: true)
        let painter = Painter(look: look, frame: frame)
        if look.sideView {
            painter.legs(&layer, near: false)
            painter.body(&layer)
            painter.antennae(&layer)
            painter.legs(&layer, near: true)
            painter.wings(&layer)
        } else {
            painter.legs(&layer, near: true)
            painter.antennae(&layer)
            painter.body(&layer)
            painter.wings(&layer)
        }
        if blur.sigma >= 0.6 { layer.defocus(sigma: blur.sigma) }
        if motion >= 2 { layer.motionBlur(dx: blur.motion.x, dy: blur.motion.y) }
        return layer
    }
}

/// The drawing routines for one bee; body coordinates throughout (x forward, body length 1).
private struct Painter {
    let look: BeeLook
    let frame: BodyFrame

    /// Fur texture: a factor around 1 varying over a few hundredths of the body length.
    func fur(_ x: Float, _ y: Float, strength: Float) -> Float {
        let p = frame.toBody(x, y) * 55
        return 1 + strength * (look.noise.sample(p.x, p.y) + 0.5 * look.noise.sample(p.x * 2.7, p.y * 2.7) - 0.75)
    }

    func fill<S: Shape>(_ layer: inout Canvas, _ shape: S, fuzz: Float = 0, paint: (Float, Float, ShapeSample) -> SIMD4<Float>) {
        if fuzz > 0 {
            layer.fill(Framed(Fuzzy(base: shape, noise: look.noise, frequency: 45, amplitude: fuzz), frame), tracked: true, paint: paint)
        } else {
            layer.fill(Framed(shape, frame), tracked: true, paint: paint)
        }
    }

    func body(_ layer: inout Canvas) {
        let bumble = look.species == .bumblebee
        let side: Float = look.sideView ? 1 : 0
        let scale = look.abdomenScale
        // Abdomen: bands run across the body; in side view it hangs slightly.
        let abdomen = Ellipse(
            center: SIMD2(-0.02 - 0.28 * scale.x, 0.03 * side),
            radii: SIMD2(0.29 * scale.x, 0.165 * scale.y),
            angle: 0.12 * side
        )
        fill(&layer, abdomen, fuzz: bumble ? 0.035 : 0.012) { x, y, s in
            // t: 0 at the waist, 1 at the tip; bands bow backwards at the sides.
            let t = (1 - s.local.x) / 2 + 0.07 * s.local.y * s.local.y
            var colour: SIMD4<Float>
            if bumble {
                let yellow = Paint.smoothstep(0.1, 0.14, t) * (1 - Paint.smoothstep(0.3, 0.34, t))
                let tail = Paint.smoothstep(0.66, 0.7, t)
                colour = Paint.mix(Paint.mix(look.dark, look.light, yellow), look.tail, tail)
            } else {
                let segment = t * look.segments
                let phase = segment - segment.rounded(.down)
                let band = Paint.smoothstep(0.5, 0.6, phase) * (1 - Paint.smoothstep(0.94, 1, phase))
                let tip = Paint.smoothstep(0.8, 0.86, t)
                colour = Paint.mix(look.light, look.dark, max(band * Paint.smoothstep(0.08, 0.16, t), tip))
            }
            let shade = Paint.roundShade(s.local, gloss: bumble ? 0.05 : 0.25) * fur(x, y, strength: bumble ? 0.5 : 0.3)
            return Paint.shade(colour, shade)
        }
        // Thorax: dense fur; bumblebees have a yellow collar and a black saddle.
        let thorax = Ellipse(center: SIMD2(0.1, -0.01 * side), radii: bumble ? SIMD2(0.14, 0.14) : SIMD2(0.13, 0.12))
        fill(&layer, thorax, fuzz: bumble ? 0.04 : 0.03) { x, y, s in
            var colour = look.fur
            if bumble {
                colour = Paint.mix(look.light, look.dark, Paint.smoothstep(0.05, 0.2, -s.local.x + 0.3))
            } else {
                colour = Paint.mix(look.fur, look.dark, 0.35 * Paint.smoothstep(0.2, 0.7, 1 - abs(s.local.y)))
            }
            return Paint.shade(colour, Paint.roundShade(s.local, gloss: 0.05) * fur(x, y, strength: 0.6))
        }
        // Head with compound eyes.
        let head = Ellipse(center: SIMD2(0.3, 0.04 * side), radii: SIMD2(0.07, 0.1))
        fill(&layer, head, fuzz: 0.008) { x, y, s in
            Paint.shade(look.dark, Paint.roundShade(s.local, gloss: 0.2) * fur(x, y, strength: 0.3))
        }
        let eyes: [SIMD2<Float>] = look.sideView ? [SIMD2(0.3, 0.02)] : [SIMD2(0.29, 0.065), SIMD2(0.29, -0.065)]
        for eye in eyes {
            let shape = Ellipse(center: eye, radii: look.sideView ? SIMD2(0.05, 0.075) : SIMD2(0.05, 0.032))
            fill(&layer, shape) { _, _, s in
                let gloss = max(0, 1 - ((s.local.x - 0.3) * (s.local.x - 0.3) + (s.local.y + 0.3) * (s.local.y + 0.3)) * 5)
                return Paint.rgb(0.05 + 0.22 * gloss, 0.04 + 0.2 * gloss, 0.04 + 0.18 * gloss)
            }
        }
    }

    func legs(_ layer: inout Canvas, near: Bool) {
        let top: [(SIMD2<Float>, SIMD2<Float>, SIMD2<Float>)] = [
            (SIMD2(0.15, 0.05), SIMD2(0.23, 0.17), SIMD2(0.33, 0.23)),
            (SIMD2(0.1, 0.07), SIMD2(0.07, 0.23), SIMD2(-0.03, 0.32)),
            (SIMD2(0.04, 0.07), SIMD2(-0.07, 0.21), SIMD2(-0.3, 0.29)),
        ]
        let side: [(SIMD2<Float>, SIMD2<Float>, SIMD2<Float>)] = [
            (SIMD2(0.15, 0.08), SIMD2(0.24, 0.2), SIMD2(0.28, 0.33)),
            (SIMD2(0.08, 0.1), SIMD2(0.07, 0.24), SIMD2(0.0, 0.36)),
            (SIMD2(0.0, 0.09), SIMD2(-0.12, 0.22), SIMD2(-0.2, 0.35)),
        ]
        var legs: [(SIMD2<Float>, SIMD2<Float>, SIMD2<Float>, Int, Float)] = []
        for (pair, joints) in (look.sideView ? side : top).enumerated() {
            if look.sideView {
                // Far legs start higher on the body, reach less far and take their own pose.
                let shift: SIMD2<Float> = near ? .zero : SIMD2(0.05, -0.04)
                let reach: SIMD2<Float> = near ? SIMD2(1, 1) : SIMD2(1.1, 0.8)
                legs.append((joints.0 + shift, joints.1 * reach + shift, joints.2 * reach + shift, near ? pair : pair + 3, near ? 1 : 0.6))
            } else {
                let mirror = SIMD2<Float>(1, -1)
                legs.append((joints.0, joints.1, joints.2, pair, 1))
                legs.append((joints.0 * mirror, joints.1 * mirror, joints.2 * mirror, pair + 3, 1))
            }
        }
        for (hip, knee, foot, index, light) in legs {
            let bentKnee = knee + look.legJitter[index]
            let placedFoot = foot + look.legJitter[index + 6] + look.legJitter[index] * 0.5
            let hind = index % 3 == 2
            let colour = Paint.shade(look.dark, light)
            let paint: (Float, Float, ShapeSample) -> SIMD4<Float> = { _, _, s in
                Paint.shade(colour, 1.25 - 0.5 * s.local.y * s.local.y)
            }
            fill(&layer, Capsule(hip, bentKnee, radius: 0.019, endRadius: 0.015), paint: paint)
            let tibiaRadius: Float = hind && look.species == .honeybee ? 0.024 : 0.014
            fill(&layer, Capsule(bentKnee, placedFoot, radius: tibiaRadius, endRadius: 0.008), paint: paint)
            if hind && look.pollen && (near || !look.sideView) {
                let load = Ellipse(center: bentKnee + (placedFoot - bentKnee) * 0.3, radii: SIMD2(0.045, 0.035))
                fill(&layer, load, fuzz: 0.01) { x, y, s in
                    Paint.shade(Paint.rgb(0.95, 0.66, 0.12), Paint.roundShade(s.local, gloss: 0.2) * fur(x, y, strength: 0.3))
                }
            }
        }
    }

    func antennae(_ layer: inout Canvas) {
        let length: Float = look.species == .bumblebee ? 0.85 : 1
        let paths: [[SIMD2<Float>]] =
            look.sideView
            ? [[SIMD2(0.35, 0.0), SIMD2(0.41, -0.08), SIMD2(0.35 + 0.16 * length, -0.06 - look.antennaBend)]]
            : [1, -1].map { (s: Float) in
                [
                    SIMD2(0.35, s * 0.025), SIMD2(0.42, s * (0.05 + look.antennaBend)),
                    SIMD2(0.37 + 0.13 * length, s * (0.1 + 2 * look.antennaBend) * length),
                ]
            }
        for path in paths {
            for (a, b) in zip(path, path.dropFirst()) {
                fill(&layer, Capsule(a, b, radius: 0.011, endRadius: 0.01)) { _, _, _ in look.dark }
            }
        }
    }

    func wings(_ layer: inout Canvas) {
        // (attach point, direction angle, length, half-width); hind wings first so forewings lie on top.
        var wings: [(SIMD2<Float>, Float, Float, Float)] = []
        if look.sideView {
            let lift = 0.25 + 0.45 * min(look.wingSpread, 1.3)
            wings = [(SIMD2(0.06, -0.09), .pi + lift + 0.15, 0.33, 0.055), (SIMD2(0.12, -0.1), .pi + lift, 0.46, 0.075)]
        } else {
            for s: Float in [1, -1] {
                wings.append((SIMD2(0.06, s * 0.06), .pi - s * (look.wingSpread + 0.25), 0.33, 0.055))
            }
            for s: Float in [1, -1] {
                wings.append((SIMD2(0.13, s * 0.06), .pi - s * look.wingSpread, 0.46, 0.075))
            }
        }
        for (attach, angle, length, halfWidth) in wings {
            let direction = SIMD2(cos(angle), sin(angle))
            let wing = Ellipse(center: attach + direction * (length / 2), radii: SIMD2(length / 2, halfWidth), angle: angle)
            fill(&layer, wing) { _, _, s in
                let u = s.local.x
                let v = s.local.y
                let r = (u * u + v * v).squareRoot()
                var alpha = 0.2 + 0.45 * Paint.smoothstep(0.8, 1, r)
                var colour = Paint.rgb(0.86, 0.88, 0.92)
                // A strong leading-edge vein and two fainter ones.
                let veins = max(
                    1 - Paint.smoothstep(0.04, 0.09, abs(v + 0.72 - 0.1 * u)),
                    0.7 * (1 - Paint.smoothstep(0.03, 0.07, abs(v - 0.05 + 0.25 * u))) * (1 - Paint.smoothstep(0.2, 0.5, u))
                )
                if veins > 0 {
                    colour = Paint.mix(colour, Paint.rgb(0.3, 0.24, 0.18), veins)
                    alpha = max(alpha, 0.6 * veins)
                }
                colour.w = alpha
                return colour
            }
        }
    }
}
