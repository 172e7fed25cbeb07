import Foundation
import ImageCodec

/// SSD's photometric distortions: random brightness, contrast, saturation and hue, plus a little pixel noise.
///
/// Cameras at a hive differ in exposure, white balance and sensor noise; jittering colours teaches the
/// detector that a bee is a bee under any of them. The steps and ranges are those of the SSD Caffe
/// reference (`DistortImage`) and GluonCV's `random_color_distort`:
///
/// 1. brightness: add `δ ∈ U(−32, 32)` levels;
/// 2. then either contrast → saturation → hue, or saturation → hue → contrast (a fair coin), where
///    contrast multiplies by `α ∈ U(0.5, 1.5)`, saturation blends each pixel with its luma
///    (`α·p + (1 − α)·gray`, `α ∈ U(0.5, 1.5)`), and hue rotates the chroma plane of YIQ by `θ ∈ U(−18°, 18°)`;
/// 3. Gaussian noise of `noiseStandardDeviation` levels per channel.
///
/// Each step happens with probability `probability` (0.5). Every step is an affine map of the RGB vector;
/// like Caffe's `saturate_cast` after each OpenCV call, values are clamped to `0...255` after every step,
/// which is what makes the order of contrast relative to saturation and hue matter. Values stay in float
/// between steps and are rounded once at the end.
///
/// Differences from the references, on purpose: the hue angle is in degrees (GluonCV multiplies a value
/// in `±18` by π, a full random rotation, which is a known slip); hue uses GluonCV's YIQ rotation rather
/// than Caffe's HSV round trip (smooth, and cheap as a 3×3 matrix); the noise step is an addition
/// (the Caffe reference swaps channels instead, which would destroy the colour cues of bees).
public struct PhotometricDistortion: Sendable, Equatable {
    /// Chance of each step (brightness, contrast, saturation, hue, noise) being applied.
    public var probability: Float
    /// Brightness shift bound, in 8-bit levels.
    public var brightnessDelta: Float
    /// Contrast multiplier range.
    public var contrastRange: ClosedRange<Float>
    /// Saturation multiplier range (0 grey, 1 unchanged).
    public var saturationRange: ClosedRange<Float>
    /// Hue rotation bound, in degrees.
    public var hueDelta: Float
    /// Standard deviation of the additive pixel noise, in 8-bit levels; 0 disables it.
    public var noiseStandardDeviation: Float

    public init(
        probability: Float = 0.5,
        brightnessDelta: Float = 32,
        contrastRange: ClosedRange<Float> = 0.5...1.5,
        saturationRange: ClosedRange<Float> = 0.5...1.5,
        hueDelta: Float = 18,
        noiseStandardDeviation: Float = 3
    ) {
        self.probability = probability
        self.brightnessDelta = brightnessDelta
        self.contrastRange = contrastRange
        self.saturationRange = saturationRange
        self.hueDelta = hueDelta
        self.noiseStandardDeviation = noiseStandardDeviation
    }

    /// One step as `p ↦ clamp(M·p + bias)`, `M` given by its columns (the fourth lane unused).
    struct AffineStep: Sendable {
        var columns: (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>)
        var bias: SIMD4<Float>
    }

    /// The random decisions for one image: the affine steps in order and the noise level.
    struct Plan: Sendable {
        var steps: [AffineStep] = []
        var noise: Float = 0
    }

    /// Draws every decision of one image. A fixed number of draws is made whatever is decided, so the
    /// generator advances identically for every image.
    func plan(random: inout SeededGenerator) -> Plan {
        func chance() -> Bool { random.nextUniform() < probability }
        func uniform(_ range: ClosedRange<Float>) -> Float { range.lowerBound + random.nextUniform() * (range.upperBound - range.lowerBound) }

        let brightness = (chance(), uniform(-brightnessDelta...brightnessDelta))
        let contrastFirst = random.nextUniform() < 0.5
        let contrast = (chance(), uniform(contrastRange))
        let saturation = (chance(), uniform(saturationRange))
        let hue = (chance(), uniform(-hueDelta...hueDelta))
        let noise = chance()

        var plan = Plan()
        if brightness.0 { plan.steps.append(Self.brightness(brightness.1)) }
        if contrastFirst && contrast.0 { plan.steps.append(Self.contrast(contrast.1)) }
        if saturation.0 { plan.steps.append(Self.saturation(saturation.1)) }
        if hue.0 { plan.steps.append(Self.hue(degrees: hue.1)) }
        if !contrastFirst && contrast.0 { plan.steps.append(Self.contrast(contrast.1)) }
        if noise { plan.noise = noiseStandardDeviation }
        return plan
    }

    /// Distorts the colours of `image`; geometry (and so every box) is unchanged.
    public func apply(_ image: RGBImage, random: inout SeededGenerator) -> RGBImage {
        let plan = plan(random: &random)
        if plan.steps.isEmpty && plan.noise == 0 { return image }
        var output = image
        let pixelCount = image.width * image.height
        output.pixels.withUnsafeMutableBufferPointer { pixels in
            // Eight pixels at a time, deinterleaved into one 8-lane vector per channel, so each step is
            // nine multiply-adds and a clamp per channel vector.
            var i = 0
            while i + 8 <= pixelCount {
                // A literal lane count, so the inlined loads and stores unroll.
                Self.distort(pixels.baseAddress! + i * 3, lanes: 8, plan: plan, random: &random)
                i += 8
            }
            if i < pixelCount { Self.distort(pixels.baseAddress! + i * 3, lanes: pixelCount - i, plan: plan, random: &random) }
        }
        return output
    }

    /// Applies `plan` to `lanes` (≤ 8) interleaved RGB pixels in place.
    @inline(__always)
    private static func distort(_ pixels: UnsafeMutablePointer<UInt8>, lanes: Int, plan: Plan, random: inout SeededGenerator) {
        var r = SIMD8<Float>()
        var g = SIMD8<Float>()
        var b = SIMD8<Float>()
        for lane in 0..<lanes {
            r[lane] = Float(pixels[lane * 3])
            g[lane] = Float(pixels[lane * 3 + 1])
            b[lane] = Float(pixels[lane * 3 + 2])
        }
        for step in plan.steps {
            let (c0, c1, c2) = step.columns
            let red = step.bias.x + r * c0.x + g * c1.x + b * c2.x
            let green = step.bias.y + r * c0.y + g * c1.y + b * c2.y
            let blue = step.bias.z + r * c0.z + g * c1.z + b * c2.z
            r = clamp(red)
            g = clamp(green)
            b = clamp(blue)
        }
        if plan.noise > 0 {
            r.addProduct(approximateNormals(&random), plan.noise)
            g.addProduct(approximateNormals(&random), plan.noise)
            b.addProduct(approximateNormals(&random), plan.noise)
        }
        let red = ImageResizer.saturatedBytePatterns(r)
        let green = ImageResizer.saturatedBytePatterns(g)
        let blue = ImageResizer.saturatedBytePatterns(b)
        for lane in 0..<lanes {
            pixels[lane * 3] = UInt8(truncatingIfNeeded: red[lane].bitPattern)
            pixels[lane * 3 + 1] = UInt8(truncatingIfNeeded: green[lane].bitPattern)
            pixels[lane * 3 + 2] = UInt8(truncatingIfNeeded: blue[lane].bitPattern)
        }
    }

    @inline(__always)
    private static func clamp(_ v: SIMD8<Float>) -> SIMD8<Float> {
        var c = v.replacing(with: 0, where: v .< 0)
        c.replace(with: 255, where: c .> 255)
        return c
    }

    /// Eight standard-normal-like values from four 64-bit draws: each is the Irwin–Hall sum of four
    /// random bytes, centred (mean 510) and scaled to unit variance (σ = √(4·(256² − 1)/12) ≈ 147.8).
    /// `nextNormal()` (a log, a square root and a cosine per value) would cost more than all the rest of
    /// the augmentation for the ~0.5 M noise values of one image; the sum's tails end at ±3.45σ,
    /// irrelevant for a few levels of sensor-like noise.
    @inline(__always)
    static func approximateNormals(_ random: inout SeededGenerator) -> SIMD8<Float> {
        let words = unsafeBitCast(SIMD4<UInt64>(random.next(), random.next(), random.next(), random.next()), to: SIMD8<UInt32>.self)
        let sum = (words & 0xFF) &+ ((words &>> 8) & 0xFF) &+ ((words &>> 16) & 0xFF) &+ (words &>> 24)
        return (SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: sum)) - 510) * (1 / 147.800_54)
    }

    // MARK: The steps as affine maps

    static func brightness(_ delta: Float) -> AffineStep {
        AffineStep(columns: (SIMD4(1, 0, 0, 0), SIMD4(0, 1, 0, 0), SIMD4(0, 0, 1, 0)), bias: SIMD4(delta, delta, delta, 0))
    }

    static func contrast(_ alpha: Float) -> AffineStep {
        AffineStep(columns: (SIMD4(alpha, 0, 0, 0), SIMD4(0, alpha, 0, 0), SIMD4(0, 0, alpha, 0)), bias: .zero)
    }

    /// `α·p + (1 − α)·(0.299 r + 0.587 g + 0.114 b)` on every channel (ITU-R BT.601 luma, as in both references).
    static func saturation(_ alpha: Float) -> AffineStep {
        let luma: SIMD3<Float> = [0.299, 0.587, 0.114]
        func column(_ j: Int) -> SIMD4<Float> {
            var c = SIMD4<Float>(repeating: (1 - alpha) * luma[j])
            c[j] += alpha
            c.w = 0
            return c
        }
        return AffineStep(columns: (column(0), column(1), column(2)), bias: .zero)
    }

    /// Rotation by `degrees` of the I/Q chroma plane of YIQ, luma kept: `M = YIQ⁻¹ · R(θ) · YIQ`.
    ///
    /// The FCC's YIQ rows (I and Q coefficients summing to exactly 0, where GluonCV's rounded copy is off
    /// by 0.001) and the exact inverse (rather than the usual 3-decimal one) make grey pixels, which have
    /// no chroma, come out exactly grey and `θ = 0` exactly the identity.
    static func hue(degrees: Float) -> AffineStep {
        let theta = Double(degrees) * .pi / 180
        let toYIQ: [[Double]] = [[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]]
        let rotation: [[Double]] = [[1, 0, 0], [0, cos(theta), -sin(theta)], [0, sin(theta), cos(theta)]]
        func product(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
            (0..<3).map { i in (0..<3).map { j in (0..<3).reduce(0) { $0 + a[i][$1] * b[$1][j] } } }
        }
        let m = product(product(inverse(toYIQ), rotation), toYIQ)
        func column(_ j: Int) -> SIMD4<Float> { SIMD4(Float(m[0][j]), Float(m[1][j]), Float(m[2][j]), 0) }
        return AffineStep(columns: (column(0), column(1), column(2)), bias: .zero)
    }

    /// The inverse of a 3×3 matrix (adjugate over determinant).
    private static func inverse(_ a: [[Double]]) -> [[Double]] {
        func cofactor(_ i: Int, _ j: Int) -> Double {
            let (r0, r1) = ((i + 1) % 3, (i + 2) % 3)
            let (c0, c1) = ((j + 1) % 3, (j + 2) % 3)
            return a[r0][c0] * a[r1][c1] - a[r0][c1] * a[r1][c0]
        }
        let determinant = (0..<3).reduce(0) { $0 + a[0][$1] * cofactor(0, $1) }
        return (0..<3).map { i in (0..<3).map { j in cofactor(j, i) / determinant } }
    }
}
