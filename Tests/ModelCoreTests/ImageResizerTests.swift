import ImageCodec
import ModelCore
import Testing

@Suite("Image resizing: bilinear with pixel-centre alignment, area-averaged for strong downscales")
struct ImageResizerTests {
    /// (source width, source height, target width, target height): upscales, mild and strong downscales.
    static let geometries: [(Int, Int, Int, Int)] = [
        (640, 480, 300, 300), (100, 50, 300, 300), (1200, 900, 300, 300), (7, 3, 1, 1), (300, 300, 512, 512),
    ]

    @Test("a constant image stays exactly constant", arguments: geometries)
    func constant(_ geometry: (Int, Int, Int, Int)) {
        let (w, h, tw, th) = geometry
        let image = RGBImage(width: w, height: h, fill: (37, 128, 251))
        let resized = ImageResizer.resize(image, width: tw, height: th)
        #expect(resized == RGBImage(width: tw, height: th, fill: (37, 128, 251)))
    }

    @Test("a horizontal ramp stays a ramp at the pixel-centre-aligned positions", arguments: [300, 160, 64, 512])
    func ramp(_ targetWidth: Int) {
        // Pixel x holds level x, so the resized value *is* the sampled source coordinate.
        var image = RGBImage(width: 256, height: 4)
        for y in 0..<4 { for x in 0..<256 { image[x, y] = (UInt8(x), UInt8(x), UInt8(255 - x)) } }
        let resized = ImageResizer.resize(image, width: targetWidth, height: 3)
        let scale = Float(256) / Float(targetWidth)
        var worst: Float = 0
        for x in 0..<targetWidth {
            let center = (Float(x) + 0.5) * scale
            let expected = min(max(center - 0.5, 0), 255)
            for y in 0..<3 {
                let pixel = resized[x, y]
                worst = max(worst, abs(Float(pixel.r) - expected), abs(Float(pixel.b) - (255 - expected)))
                #expect(pixel.r == pixel.g)
            }
        }
        #expect(worst <= 1, "ramp deviates by \(worst) levels at width \(targetWidth)")
    }

    /// Sizes whose downscale to 300 is by 2 or more on both axes (antialiased, or an exact 2:1 average).
    @Test("a 1-pixel checkerboard downscales to mid-grey instead of aliasing", arguments: [(1200, 900), (1000, 700), (600, 600)])
    func checkerboard(_ size: (Int, Int)) {
        var image = RGBImage(width: size.0, height: size.1)
        for y in 0..<size.1 { for x in 0..<size.0 where (x + y) % 2 == 0 { image[x, y] = (255, 255, 255) } }
        let resized = ImageResizer.resize(image, width: 300, height: 300)
        let worst = resized.pixels.map { abs(Float($0) - 127.5) }.max()!
        #expect(worst <= 4, "\(size.0)×\(size.1) → 300: a pixel is \(worst) levels from mid-grey")
    }

    /// 640 → 300 is just over the antialiasing threshold: 1-pixel columns must still average out (within
    /// the ±6 % an area filter of width 2.13 leaves; 2-tap bilinear would give ±100 %).
    @Test("1-pixel stripes of a 640-wide image average to mid-grey at 300")
    func stripes() {
        var image = RGBImage(width: 640, height: 480)
        for y in 0..<480 { for x in stride(from: 0, to: 640, by: 2) { image[x, y] = (255, 255, 255) } }
        let resized = ImageResizer.resize(image, width: 300, height: 300)
        let worst = resized.pixels.map { abs(Float($0) - 127.5) }.max()!
        #expect(worst <= 8, "a pixel is \(worst) levels from mid-grey")
    }

    @Test("resizing to the same size returns the image unchanged")
    func identity() {
        let image = AugmentationFixture.noise(width: 31, height: 17, seed: 3)
        #expect(ImageResizer.resize(image, width: 31, height: 17) == image)
    }

    @Test("the float-plane resize agrees with the byte resize", arguments: [(640, 480, 300, 300), (90, 70, 300, 300)])
    func floatPlane(_ geometry: (Int, Int, Int, Int)) {
        let (w, h, tw, th) = geometry
        let image = AugmentationFixture.noise(width: w, height: h, seed: 9)
        let bytes = ImageResizer.resize(image, width: tw, height: th)
        let red = stride(from: 0, to: image.pixels.count, by: 3).map { Float(image.pixels[$0]) }
        var output = [Float](repeating: 0, count: tw * th)
        red.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer {
                ImageResizer.resize(plane: source, sourceWidth: w, sourceHeight: h, into: $0, width: tw, height: th)
            }
        }
        let expected = stride(from: 0, to: bytes.pixels.count, by: 3).map { Float(bytes.pixels[$0]) }
        expectClose(output, expected, atol: 0.5001, rtol: 0, "float plane vs bytes")
    }

    @Test("downscaled objects keep their position: a bright square's centroid maps through the scale", arguments: [(640, 480), (1600, 1200)])
    func centroid(_ size: (Int, Int)) {
        let image = AugmentationFixture.painted(
            RGBImage(width: size.0, height: size.1),
            x0: size.0 / 4,
            y0: size.1 / 3,
            x1: size.0 / 4 + 40,
            y1: size.1 / 3 + 30,
            color: (255, 255, 255)
        )
        let resized = ImageResizer.resize(image, width: 300, height: 300)
        var (sx, sy, total): (Float, Float, Float) = (0, 0, 0)
        for y in 0..<300 {
            for x in 0..<300 {
                let v = Float(resized[x, y].r)
                sx += v * (Float(x) + 0.5)
                sy += v * (Float(y) + 0.5)
                total += v
            }
        }
        let expectedX = (Float(size.0 / 4) + 20) * 300 / Float(size.0)
        let expectedY = (Float(size.1 / 3) + 15) * 300 / Float(size.1)
        // Within 1/8 output pixel: 2-tap bilinear at a 1.6 scale samples unevenly, so it is not exact.
        #expect(
            abs(sx / total - expectedX) < 0.125 && abs(sy / total - expectedY) < 0.125,
            "centroid (\(sx / total), \(sy / total)) vs (\(expectedX), \(expectedY))"
        )
    }
}
