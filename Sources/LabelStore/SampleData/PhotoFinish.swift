import ImageCodec

/// The camera's contribution: exposure, contrast, saturation, a colour cast, vignetting and sensor noise,
/// then quantisation to 8 bits. Applied once to the whole composed photo, so bees and background share them.
enum PhotoFinish {
    static func develop(_ canvas: Canvas, random: inout SeededRandom) -> RGBImage {
        let exposure = random.uniform(0.85, 1.15)
        let contrast = random.uniform(0.85, 1.2)
        let saturation = random.uniform(0.8, 1.2)
        let cast = SIMD3(1 + random.normal() * 0.04, 1 + random.normal() * 0.03, 1 + random.normal() * 0.05)
        let vignette = random.chance(0.6) ? random.uniform(0.05, 0.35) : 0
        let noiseLevel = random.uniform(0.004, 0.02)
        let grain = ValueNoise(&random)
        let width = canvas.width
        let height = canvas.height
        let cx = Float(width) / 2
        let cy = Float(height) / 2
        let inverseRadius2 = 1 / (cx * cx + cy * cy)
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let p = canvas.pixels[y * width + x]
                var c = SIMD3(p.x, p.y, p.z) * exposure * cast
                c = (c - 0.5) * contrast + 0.5
                let luma = c.x * 0.299 + c.y * 0.587 + c.z * 0.114
                c = luma + (c - luma) * saturation
                let dx = Float(x) - cx
                let dy = Float(y) - cy
                c *= 1 - vignette * (dx * dx + dy * dy) * inverseRadius2
                // Sensor noise: a per-pixel luma part and a weaker chroma part, from a hash of the position.
                let bits = grain.bits(Int32(x), Int32(y))
                let b0 = Float(bits & 0xFF)
                let b1 = Float((bits >> 8) & 0xFF)
                let n = (b0 + b1) * (1.0 / 255) - 1
                let chroma = SIMD3(Float((bits >> 16) & 0xFF), Float(bits >> 24), b0) * (1.0 / 255) - 0.5
                c += (n * 2.45 + chroma * 0.8) * noiseLevel
                let i = (y * width + x) * 3
                bytes[i] = quantise(c.x)
                bytes[i + 1] = quantise(c.y)
                bytes[i + 2] = quantise(c.z)
            }
        }
        return RGBImage(width: width, height: height, pixels: bytes)
    }

    @inline(__always)
    private static func quantise(_ value: Float) -> UInt8 {
        UInt8(min(max(value * 255 + 0.5, 0), 255))
    }
}
