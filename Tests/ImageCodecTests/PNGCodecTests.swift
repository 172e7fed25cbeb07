import ImageCodec
import Testing

@Suite("PNG codec")
struct PNGCodecTests {
    @Test("an encoded gradient decodes to exactly the same pixels")
    func roundTripIsLossless() throws {
        // Given an image whose every pixel differs
        var image = RGBImage(width: 37, height: 23)
        for y in 0..<image.height {
            for x in 0..<image.width {
                image[x, y] = (UInt8(x * 6), UInt8(y * 11), UInt8((x * y) % 256))
            }
        }
        // When it is written as PNG and read back
        let bytes = try PNGCodec.encode(image)
        #expect(ImageFormat.sniff(bytes) == .png)
        let decoded = try PNGCodec.decode(bytes)
        // Then the pixels are identical
        #expect(decoded.width == 37)
        #expect(decoded.height == 23)
        #expect(decoded.pixels == image.pixels)
        #expect(decoded[5, 7] == (30, 77, 35))
    }

    @Test("a truncated PNG is rejected with libpng's reason")
    func truncatedFileThrows() throws {
        let bytes = try PNGCodec.encode(RGBImage(width: 64, height: 64, fill: (200, 10, 10)))
        let truncated = Array(bytes.prefix(bytes.count / 2))
        let error = #expect(throws: ImageCodecError.self) { try PNGCodec.decode(truncated) }
        #expect(error?.reason.contains("PNG") == true)
    }
}
