import Foundation

/// What a shape says about one point: its signed distance to the outline (pixels, negative inside) and the
/// point in the shape's own normalised coordinates, which painters use for shading, stripes and veins.
struct ShapeSample {
    var distance: Float
    var local: SIMD2<Float>
}

/// An axis-aligned rectangle in image coordinates (pixels, floating point).
struct Rect {
    var minX: Float
    var minY: Float
    var maxX: Float
    var maxY: Float

    func expanded(by margin: Float) -> Rect {
        Rect(minX: minX - margin, minY: minY - margin, maxX: maxX + margin, maxY: maxY + margin)
    }

    func union(_ other: Rect) -> Rect {
        Rect(minX: min(minX, other.minX), minY: min(minY, other.minY), maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
    }
}

/// A 2-D shape the canvas can fill with anti-aliasing: a bound and a signed distance field.
protocol Shape {
    /// Encloses every point whose distance is ≤ 0.
    var bounds: Rect { get }
    /// The sample at image point `(x, y)`.
    func sample(_ x: Float, _ y: Float) -> ShapeSample
}

/// A rotated ellipse. Local coordinates are `(along, across)` scaled so the outline is the unit circle.
struct Ellipse: Shape {
    var center: SIMD2<Float>
    var radii: SIMD2<Float>
    private let cosine: Float
    private let sine: Float

    /// - Parameter angle: rotation of the first radius from the x axis, radians (y points down).
    init(center: SIMD2<Float>, radii: SIMD2<Float>, angle: Float = 0) {
        self.center = center
        self.radii = SIMD2(max(radii.x, 0.05), max(radii.y, 0.05))
        cosine = cos(angle)
        sine = sin(angle)
    }

    var bounds: Rect {
        let ex = (radii.x * radii.x * cosine * cosine + radii.y * radii.y * sine * sine).squareRoot()
        let ey = (radii.x * radii.x * sine * sine + radii.y * radii.y * cosine * cosine).squareRoot()
        return Rect(minX: center.x - ex, minY: center.y - ey, maxX: center.x + ex, maxY: center.y + ey)
    }

    @inline(__always)
    func sample(_ x: Float, _ y: Float) -> ShapeSample {
        let dx = x - center.x
        let dy = y - center.y
        let u = (dx * cosine + dy * sine) / radii.x
        let v = (dy * cosine - dx * sine) / radii.y
        let d = (u * u + v * v).squareRoot()
        // First-order distance: (d - 1) / |∇d|, exact on the outline, good enough for a 1-pixel ramp.
        let gu = u / radii.x
        let gv = v / radii.y
        let gradient = (gu * gu + gv * gv).squareRoot()
        let distance = gradient > 1e-6 ? (d - 1) * d / gradient : -min(radii.x, radii.y)
        return ShapeSample(distance: distance, local: SIMD2(u, v))
    }
}

/// A segment with round ends whose radius may taper from `a` to `b`: legs, antennae, stems, veins.
/// Local coordinates are `(t, across)`: `t` from 0 at `a` to 1 at `b`, `across` in radii.
struct Capsule: Shape {
    var a: SIMD2<Float>
    var b: SIMD2<Float>
    var radiusA: Float
    var radiusB: Float

    init(_ a: SIMD2<Float>, _ b: SIMD2<Float>, radius: Float, endRadius: Float? = nil) {
        self.a = a
        self.b = b
        radiusA = radius
        radiusB = endRadius ?? radius
    }

    var bounds: Rect {
        let r = max(radiusA, radiusB)
        return Rect(minX: min(a.x, b.x) - r, minY: min(a.y, b.y) - r, maxX: max(a.x, b.x) + r, maxY: max(a.y, b.y) + r)
    }

    @inline(__always)
    func sample(_ x: Float, _ y: Float) -> ShapeSample {
        let abx = b.x - a.x
        let aby = b.y - a.y
        let apx = x - a.x
        let apy = y - a.y
        let lengthSquared = max(abx * abx + aby * aby, 1e-6)
        let t = min(max((apx * abx + apy * aby) / lengthSquared, 0), 1)
        let cx = apx - abx * t
        let cy = apy - aby * t
        let distance = (cx * cx + cy * cy).squareRoot()
        let radius = radiusA + (radiusB - radiusA) * t
        let side: Float = (abx * apy - aby * apx) >= 0 ? 1 : -1
        return ShapeSample(distance: distance - radius, local: SIMD2(t, side * distance / max(radius, 1e-3)))
    }
}

/// A leaf or petal from `base` to `tip`. With `s = 4u(1−u)` at fraction `u` of the length, the half-width is
/// `halfWidth · mix(√s, s, 2·(fullness − 0.5))`: fullness 0.5 is an ellipse, 1 a pointed leaf (a cheap stand-in
/// for `s^fullness`, which would cost a `pow` per pixel). Local coordinates are `(u, across)`, `across` in
/// −1…1 of the local half-width.
struct Blade: Shape {
    var base: SIMD2<Float>
    var tip: SIMD2<Float>
    var halfWidth: Float
    var fullness: Float
    private let length: Float
    private let axis: SIMD2<Float>
    private let pointedness: Float

    init(base: SIMD2<Float>, tip: SIMD2<Float>, halfWidth: Float, fullness: Float = 0.5) {
        self.base = base
        self.tip = tip
        self.halfWidth = halfWidth
        self.fullness = fullness
        pointedness = min(max(2 * (fullness - 0.5), 0), 1)
        let delta = tip - base
        length = max((delta.x * delta.x + delta.y * delta.y).squareRoot(), 1e-3)
        axis = delta / length
    }

    var bounds: Rect {
        Rect(minX: min(base.x, tip.x), minY: min(base.y, tip.y), maxX: max(base.x, tip.x), maxY: max(base.y, tip.y))
            .expanded(by: halfWidth)
    }

    @inline(__always)
    func sample(_ x: Float, _ y: Float) -> ShapeSample {
        let px = x - base.x
        let py = y - base.y
        let along = px * axis.x + py * axis.y
        let across = py * axis.x - px * axis.y
        let u = along / length
        let shape = max(4 * u * (1 - u), 0)
        let root = shape.squareRoot()
        let profile = root + (shape - root) * pointedness
        let width = halfWidth * profile
        let distance = max(abs(across) - width, -along, along - length)
        // Clamped: near the pointed ends the half-width vanishes and the ratio would blow up.
        return ShapeSample(distance: distance, local: SIMD2(u, min(max(across / max(width, 1e-3), -1), 1)))
    }
}

/// Any shape with a noisy outline, e.g. the hair on a bumblebee: the distance is pushed outwards by up to
/// `amplitude` pixels by value noise of the given `frequency` (features per pixel).
struct Fuzzy<Base: Shape>: Shape {
    var base: Base
    var noise: ValueNoise
    var frequency: Float
    var amplitude: Float

    var bounds: Rect { base.bounds.expanded(by: amplitude) }

    @inline(__always)
    func sample(_ x: Float, _ y: Float) -> ShapeSample {
        var sample = base.sample(x, y)
        let n = noise.sample(x * frequency, y * frequency) * 0.7 + noise.sample(x * frequency * 2.3, y * frequency * 2.3) * 0.3
        sample.distance -= amplitude * n
        return sample
    }
}
