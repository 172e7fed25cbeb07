import Foundation

/// Paints the out-of-focus setting behind the subject: foliage with bokeh, a meadow of grass blades, sky,
/// soil with pebbles, a flower bed, or weathered wood. Every pixel of the canvas ends up opaque.
enum BackgroundPainter {
    enum Kind: CaseIterable {
        case foliage, meadow, sky, soil, flowerBed, wood
    }

    /// Chooses a setting with the style's `weights` (in `Kind` order) and paints it.
    @discardableResult
    static func paint(_ canvas: inout Canvas, weights: [Float], random: inout SeededRandom) -> Kind {
        let kind = Kind.allCases[random.weighted(weights)]
        switch kind {
        case .foliage: foliage(&canvas, &random, bokeh: Paint.rgb(0.85, 0.95, 0.6))
        case .meadow: meadow(&canvas, &random)
        case .sky: sky(&canvas, &random)
        case .soil: soil(&canvas, &random)
        case .flowerBed: foliage(&canvas, &random, bokeh: random.pick(FlowerPalette.petals))
        case .wood: wood(&canvas, &random)
        }
        return kind
    }

    /// Fills every pixel from a colour function of the pixel position (called once per pixel).
    static func fillAll(_ canvas: inout Canvas, _ colour: (Int, Int) -> SIMD3<Float>) {
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let c = colour(x, y)
                canvas.pixels[y * canvas.width + x] = SIMD4(c.x, c.y, c.z, 1)
            }
        }
    }

    /// Smooth two-colour fractal noise, as a defocused tangle of leaves and shadow looks.
    static func blotches(_ canvas: inout Canvas, _ random: inout SeededRandom, dark: SIMD3<Float>, light: SIMD3<Float>, scale: Float) {
        let noise = ValueNoise(&random)
        let tint = ValueNoise(&random)
        let field = CoarseField(width: canvas.width, height: canvas.height, step: 4) { x, y in
            noise.fractal(x / scale, y / scale, octaves: 3, gain: 0.45)
        }
        let hue = CoarseField(width: canvas.width, height: canvas.height, step: 8) { x, y in
            tint.sample(x / (scale * 2.5), y / (scale * 2.5))
        }
        fillAll(&canvas) { x, y in
            let t = Paint.smoothstep(0.22, 0.78, field.value(x, y))
            let h = hue.value(x, y) - 0.5
            let base = dark + (light - dark) * t
            return SIMD3(base.x * (1 + 0.5 * h), base.y, base.z * (1 - 0.4 * h))
        }
    }

    private static func foliage(_ canvas: inout Canvas, _ random: inout SeededRandom, bokeh: SIMD4<Float>) {
        let dark = SIMD3(random.uniform(0.03, 0.1), random.uniform(0.1, 0.2), random.uniform(0.02, 0.08))
        let light = SIMD3(random.uniform(0.3, 0.5), random.uniform(0.45, 0.65), random.uniform(0.1, 0.25))
        let size = Float(min(canvas.width, canvas.height))
        blotches(&canvas, &random, dark: dark, light: light, scale: size * random.uniform(0.25, 0.5))
        // Defocused leaves.
        for _ in 0..<random.int(4...14) {
            let base = SIMD2(random.uniform(-0.1, 1.1) * Float(canvas.width), random.uniform(-0.1, 1.1) * Float(canvas.height))
            let angle = random.uniform(0, 2 * .pi)
            let length = size * random.uniform(0.2, 0.6)
            let tip = base + SIMD2(cos(angle), sin(angle)) * length
            let colour = Paint.rgb(random.uniform(0.1, 0.35), random.uniform(0.25, 0.5), random.uniform(0.05, 0.15), random.uniform(0.5, 0.9))
            canvas.fill(Blade(base: base, tip: tip, halfWidth: length * random.uniform(0.15, 0.3), fullness: 0.8), feather: size * 0.04) { _, _, _ in
                colour
            }
        }
        // Bokeh discs: out-of-focus highlights (or distant flowers in a flower bed).
        for _ in 0..<random.int(5...30) {
            let center = SIMD2(random.unit() * Float(canvas.width), random.unit() * Float(canvas.height))
            let radius = size * random.uniform(0.02, 0.09)
            var colour = Paint.shade(bokeh, random.uniform(0.7, 1.1))
            colour.w = random.uniform(0.15, 0.55)
            canvas.fill(Ellipse(center: center, radii: SIMD2(radius, radius)), feather: radius * random.uniform(0.2, 0.8)) { _, _, _ in colour }
        }
    }

    private static func meadow(_ canvas: inout Canvas, _ random: inout SeededRandom) {
        let size = Float(min(canvas.width, canvas.height))
        blotches(
            &canvas,
            &random,
            dark: SIMD3(0.08, 0.14, 0.04),
            light: SIMD3(random.uniform(0.35, 0.55), random.uniform(0.45, 0.6), random.uniform(0.12, 0.25)),
            scale: size * 0.3
        )
        // Blades from far (blurred, pale) to near (sharper, varied).
        let count = random.int(60...160)
        for i in 0..<count {
            let depth = Float(i) / Float(count)
            let x = random.unit() * Float(canvas.width)
            let bottom = Float(canvas.height) * random.uniform(0.7, 1.3)
            let height = size * random.uniform(0.3, 0.9)
            let lean = random.normal() * 0.25
            let tip = SIMD2(x + lean * height, bottom - height)
            let dry = random.chance(0.25)
            let colour =
                dry
                ? Paint.rgb(random.uniform(0.5, 0.7), random.uniform(0.45, 0.6), random.uniform(0.2, 0.3), 0.9)
                : Paint.rgb(random.uniform(0.15, 0.4), random.uniform(0.35, 0.6), random.uniform(0.05, 0.2), 0.9)
            let blade = Blade(base: SIMD2(x, bottom), tip: tip, halfWidth: size * random.uniform(0.006, 0.018), fullness: 0.9)
            canvas.fill(blade, feather: 1 + (1 - depth) * size * 0.02) { _, _, s in
                Paint.shade(colour, 0.8 + 0.3 * s.local.y)
            }
        }
    }

    private static func sky(_ canvas: inout Canvas, _ random: inout SeededRandom) {
        let top = SIMD3(random.uniform(0.2, 0.4), random.uniform(0.4, 0.6), random.uniform(0.75, 0.95))
        let horizon = SIMD3(random.uniform(0.65, 0.8), random.uniform(0.78, 0.88), random.uniform(0.9, 0.98))
        let noise = ValueNoise(&random)
        let size = Float(min(canvas.width, canvas.height))
        let cover = random.uniform(0.35, 0.75)
        let clouds = CoarseField(width: canvas.width, height: canvas.height, step: 4) { x, y in
            Paint.smoothstep(cover, cover + 0.2, noise.fractal(x / (size * 0.4), y / (size * 0.25), octaves: 5))
        }
        let h = Float(canvas.height)
        fillAll(&canvas) { x, y in
            let sky = top + (horizon - top) * (Float(y) / h)
            return sky + (SIMD3(0.95, 0.95, 0.96) - sky) * clouds.value(x, y)
        }
        // Dark twigs reaching in from an edge.
        for _ in 0..<random.int(0...3) {
            let start = SIMD2(random.unit() * Float(canvas.width), random.chance(0.5) ? 0 : Float(canvas.height))
            let end = SIMD2(random.unit() * Float(canvas.width), random.unit() * Float(canvas.height))
            let colour = Paint.rgb(0.2, 0.16, 0.12)
            canvas.fill(Capsule(start, end, radius: size * 0.012, endRadius: size * 0.004), feather: 2) { _, _, _ in colour }
        }
    }

    private static func soil(_ canvas: inout Canvas, _ random: inout SeededRandom) {
        let size = Float(min(canvas.width, canvas.height))
        let base = SIMD3(random.uniform(0.35, 0.55), random.uniform(0.28, 0.42), random.uniform(0.18, 0.3))
        let coarse = ValueNoise(&random)
        let grain = ValueNoise(&random)
        let field = CoarseField(width: canvas.width, height: canvas.height, step: 4) { x, y in
            coarse.fractal(x / (size * 0.2), y / (size * 0.2), octaves: 4)
        }
        let grainScale = random.uniform(0.3, 0.7)
        fillAll(&canvas) { x, y in
            let g = grain.sample(Float(x) * grainScale, Float(y) * grainScale)
            return base * (0.55 + 0.7 * field.value(x, y)) * (0.85 + 0.3 * g)
        }
        for _ in 0..<random.int(10...60) {
            let center = SIMD2(random.unit() * Float(canvas.width), random.unit() * Float(canvas.height))
            let r = size * random.uniform(0.008, 0.05)
            let tone = random.uniform(0.5, 1.4)
            let colour = Paint.rgb(base.x * tone, base.y * tone, base.z * tone * 1.05)
            canvas.fill(Ellipse(center: center, radii: SIMD2(r, r * random.uniform(0.6, 1)), angle: random.uniform(0, 3))) { _, _, s in
                Paint.shade(colour, Paint.roundShade(s.local, gloss: 0.2))
            }
        }
    }

    private static func wood(_ canvas: inout Canvas, _ random: inout SeededRandom) {
        let size = Float(min(canvas.width, canvas.height))
        let base = SIMD3(random.uniform(0.4, 0.6), random.uniform(0.32, 0.45), random.uniform(0.2, 0.32))
        let noise = ValueNoise(&random)
        let angle = random.uniform(0, .pi)
        let (c, s) = (cos(angle), sin(angle))
        let frequency = random.uniform(20, 60) / size
        let field = CoarseField(width: canvas.width, height: canvas.height, step: 2) { x, y in
            let along = x * c + y * s
            let across = y * c - x * s
            let warp = noise.fractal(along / (size * 0.5), across / (size * 0.05), octaves: 3)
            return 0.5 + 0.5 * sin((across + warp * size * 0.15) * frequency)
        }
        fillAll(&canvas) { x, y in
            base * (0.75 + 0.35 * field.value(x, y))
        }
    }
}
