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
}
