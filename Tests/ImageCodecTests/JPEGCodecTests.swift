import Foundation
import ImageCodec
import Testing

@Suite("JPEG codec")
struct JPEGCodecTests {
    /// Four flat 16×16 quadrants: JPEG is lossy, but flat 8×8 blocks aligned to the MCU grid keep their colour
    /// to within a few levels at quality 95 (chroma is subsampled 4:2:0, so allow 6).
    static func quadrants() -> RGBImage {
        var image = RGBImage(width: 32, height: 32)
        let colours: [(UInt8, UInt8, UInt8)] = [(250, 20, 20), (20, 240, 30), (30, 40, 230), (128, 128, 128)]
        for y in 0..<32 {
            for x in 0..<32 {
                image[x, y] = colours[(y / 16) * 2 + x / 16]
            }
        }
        return image
    }

    @Test("decoded pixels match the encoded colours inside each flat quadrant")
    func decodeChecksPixelValues() throws {
        let bytes = try JPEGCodec.encode(Self.quadrants(), quality: 95)
        #expect(ImageFormat.sniff(bytes) == .jpeg)
        let decoded = try JPEGCodec.decode(bytes)
        #expect(decoded.width == 32 && decoded.height == 32)
        let samples: [(x: Int, y: Int, rgb: (Int, Int, Int))] = [
            (4, 4, (250, 20, 20)), (27, 4, (20, 240, 30)), (4, 27, (30, 40, 230)), (27, 27, (128, 128, 128)),
        ]
        for sample in samples {
            let pixel = decoded[sample.x, sample.y]
            #expect(abs(Int(pixel.r) - sample.rgb.0) <= 6, "red at (\(sample.x), \(sample.y)) was \(pixel.r)")
            #expect(abs(Int(pixel.g) - sample.rgb.1) <= 6, "green at (\(sample.x), \(sample.y)) was \(pixel.g)")
            #expect(abs(Int(pixel.b) - sample.rgb.2) <= 6, "blue at (\(sample.x), \(sample.y)) was \(pixel.b)")
        }
    }

    @Test("a truncated JPEG is corrupt, not a half-grey image")
    func truncatedFileThrows() throws {
        let bytes = try JPEGCodec.encode(Self.quadrants(), quality: 95)
        #expect(throws: ImageCodecError.self) { try JPEGCodec.decode(Array(bytes.prefix(bytes.count - 40))) }
    }

    @Test("the decoder dispatches on magic bytes and names unknown formats")
    func decoderSniffsFormat() throws {
        let jpeg = try JPEGCodec.encode(Self.quadrants())
        #expect(try ImageDecoder.decode(jpeg).width == 32)
        let gif: [UInt8] = Array("GIF89a".utf8) + [0, 0]
        let error = #expect(throws: ImageCodecError.self) { try ImageDecoder.decode(gif) }
        #expect(error?.reason == "not a JPEG or PNG file (starts with 47 49 46 38)")
        #expect(throws: ImageCodecError.self) { try ImageDecoder.decode([]) }
    }

    /// A smooth 8-bit pattern (gradients and soft waves) of any size, so block means are easy to predict.
    static func smooth(width: Int, height: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let wave = 40 * sin(Double(x) / 37) * cos(Double(y) / 53)
                image[x, y] = (
                    UInt8(clamping: Int(100 + 100 * Double(x) / Double(width) + wave)), UInt8(clamping: Int(60 + 120 * Double(y) / Double(height))),
                    UInt8(clamping: Int(128 - wave))
                )
            }
        }
        return image
    }

    @Test("minimumSide: a photo at least twice the target decodes DCT-scaled, at the smallest size still covering it")
    func scaledDecodeSizes() throws {
        // libjpeg-turbo's factors up to 1/2 are 1/8, 1/4, 3/8 and 1/2 (sizes rounded up).
        let photo = try JPEGCodec.encode(Self.smooth(width: 1600, height: 1200), quality: 90)
        func size(_ side: Int) throws -> [Int] {
            let image = try JPEGCodec.decode(photo, minimumSide: side)
            return [image.width, image.height]
        }
        #expect(try size(150) == [200, 150])  // 1/8
        #expect(try size(300) == [400, 300])  // 1/4
        #expect(try size(450) == [600, 450])  // 3/8
        #expect(try size(600) == [800, 600])  // 1/2
        #expect(try size(700) == [1600, 1200])  // 1/2 would leave 600 rows: full size
        let viaDecoder = try ImageDecoder.decode(photo, minimumSide: 300)
        #expect(viaDecoder.width == 400 && viaDecoder.height == 300)
    }

    @Test("at 1/8 each pixel is its 8×8 block's mean; images under twice the target decode exactly as without it")
    func scaledDecodePixels() throws {
        let photo = try JPEGCodec.encode(Self.smooth(width: 1600, height: 1200), quality: 90)
        let full = try JPEGCodec.decode(photo)
        let eighth = try JPEGCodec.decode(photo, minimumSide: 150)
        var total = 0
        var worst = 0
        for y in 0..<eighth.height {
            for x in 0..<eighth.width {
                var sums = (0, 0, 0)
                for dy in 0..<8 {
                    for dx in 0..<8 {
                        let pixel = full[x * 8 + dx, y * 8 + dy]
                        sums = (sums.0 + Int(pixel.r), sums.1 + Int(pixel.g), sums.2 + Int(pixel.b))
                    }
                }
                let pixel = eighth[x, y]
                for (value, sum) in [(pixel.r, sums.0), (pixel.g, sums.1), (pixel.b, sums.2)] {
                    let difference = abs(Int(value) - (sum + 32) / 64)
                    total += difference
                    worst = max(worst, difference)
                }
            }
        }
        let mean = Double(total) / Double(3 * eighth.width * eighth.height)
        #expect(mean < 2 && worst <= 12, "mean \(mean), worst \(worst) levels from the 8×8 block means")

        let course = try JPEGCodec.encode(Self.smooth(width: 500, height: 375), quality: 90)
        let courseScaled = try JPEGCodec.decode(course, minimumSide: 300)
        let courseFull = try JPEGCodec.decode(course)
        #expect(courseScaled == courseFull)
    }
}
