import Foundation

/// Where an insect sits in the photo: the map from its own body coordinates (x forward, y across, body length
/// 1, origin at the waist) to image pixels, with rotation, size and foreshortening.
struct BodyFrame {
    /// The waist (thorax–abdomen joint) in image pixels.
    var center: SIMD2<Float>
    /// Body length, head to abdomen tip, in pixels.
    var length: Float
    /// Across-body scale: 1 seen from straight above, smaller when tilted; negative mirrors a side view.
    var squash: Float
    private let cosine: Float
    private let sine: Float

    /// - Parameter heading: direction the head points, radians from the image x axis (y down).
    init(center: SIMD2<Float>, heading: Float, length: Float, squash: Float = 1) {
        self.center = center
        self.length = length
        self.squash = squash
        cosine = cos(heading)
        sine = sin(heading)
    }

    /// Body point → image pixel.
    @inline(__always)
    func toImage(_ p: SIMD2<Float>) -> SIMD2<Float> {
        let x = p.x * length
        let y = p.y * length * squash
        return SIMD2(center.x + x * cosine - y * sine, center.y + x * sine + y * cosine)
    }

    /// Image pixel → body point.
    @inline(__always)
    func toBody(_ x: Float, _ y: Float) -> SIMD2<Float> {
        let dx = x - center.x
        let dy = y - center.y
        return SIMD2((dx * cosine + dy * sine) / length, (dy * cosine - dx * sine) / (length * squash))
    }

    /// The image rectangle enclosing a disc of `radius` body lengths around the waist.
    func bounds(radius: Float) -> Rect {
        let r = radius * length
        return Rect(minX: center.x - r, minY: center.y - r, maxX: center.x + r, maxY: center.y + r)
    }
}

/// A shape defined in body coordinates, drawn through a `BodyFrame`. Distances come back in pixels.
struct Framed<Base: Shape>: Shape {
    var base: Base
    var frame: BodyFrame

    init(_ base: Base, _ frame: BodyFrame) {
        self.base = base
        self.frame = frame
    }

    var bounds: Rect {
        let b = base.bounds
        let corners = [
            frame.toImage(SIMD2(b.minX, b.minY)), frame.toImage(SIMD2(b.maxX, b.minY)),
            frame.toImage(SIMD2(b.minX, b.maxY)), frame.toImage(SIMD2(b.maxX, b.maxY)),
        ]
        return Rect(
            minX: corners.map(\.x).min()!,
            minY: corners.map(\.y).min()!,
            maxX: corners.map(\.x).max()!,
            maxY: corners.map(\.y).max()!
        )
    }

    @inline(__always)
    func sample(_ x: Float, _ y: Float) -> ShapeSample {
        let p = frame.toBody(x, y)
        var sample = base.sample(p.x, p.y)
        sample.distance *= frame.length
        return sample
    }
}

/// Colour helpers shared by the painters.
enum Paint {
    /// An opaque or translucent straight-alpha colour.
    @inline(__always)
    static func rgb(_ r: Float, _ g: Float, _ b: Float, _ a: Float = 1) -> SIMD4<Float> {
        SIMD4(r, g, b, a)
    }

    /// `colour` with its RGB multiplied by `factor`, alpha unchanged.
    @inline(__always)
    static func shade(_ colour: SIMD4<Float>, _ factor: Float) -> SIMD4<Float> {
        SIMD4(colour.x * factor, colour.y * factor, colour.z * factor, colour.w)
    }

    /// Linear interpolation from `a` (t = 0) to `b` (t = 1).
    @inline(__always)
    static func mix(_ a: SIMD4<Float>, _ b: SIMD4<Float>, _ t: Float) -> SIMD4<Float> {
        a + (b - a) * t
    }

    /// Hermite step from 0 below `edge0` to 1 above `edge1`.
    @inline(__always)
    static func smoothstep(_ edge0: Float, _ edge1: Float, _ x: Float) -> Float {
        let t = min(max((x - edge0) / (edge1 - edge0), 0), 1)
        return t * t * (3 - 2 * t)
    }

    /// Rounded-body shading from normalised ellipse coordinates: darker towards the rim, a soft highlight
    /// up and to the left (the light comes from the top left of every photo).
    @inline(__always)
    static func roundShade(_ local: SIMD2<Float>, gloss: Float) -> Float {
        let r2 = min(local.x * local.x + local.y * local.y, 1)
        let body = 0.5 + 0.5 * (1 - r2).squareRoot()
        let hx = local.x - 0.15
        let hy = local.y + 0.45
        let highlight = gloss * max(0, 1 - (hx * hx * 2 + hy * hy * 6))
        return body + highlight
    }
}
