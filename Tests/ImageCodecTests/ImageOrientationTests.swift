import ImageCodec
import Testing

@Suite("EXIF orientation")
struct ImageOrientationTests {
    /// `jpeg` with an EXIF APP1 segment recording `orientation`, inserted after the JFIF APP0 segment as cameras
    /// write it; `bigEndian` picks the TIFF byte order ("MM" or "II").
    static func withOrientation(_ jpeg: [UInt8], _ orientation: Int, bigEndian: Bool = true) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: Int) -> [UInt8] { bigEndian ? [0, 0] + u16(v) : u16(v) + [0, 0] }
        let tiff = (bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]) + u16(42) + u32(8)
        // IFD0: one entry (an unrelated tag first would be just as fine), then no next IFD.
        let ifd = u16(2) + u16(0x010F) + u16(2) + u32(1) + u32(0) + u16(0x0112) + u16(3) + u32(1) + u16(orientation) + [0, 0] + u32(0)
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff + ifd
        let segment: [UInt8] = [0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        let app0Length = jpeg[2] == 0xFF && jpeg[3] == 0xE0 ? 2 + (Int(jpeg[4]) << 8 | Int(jpeg[5])) : 0
        let insertAt = 2 + app0Length
        return Array(jpeg[..<insertAt]) + segment + Array(jpeg[insertAt...])
    }

    /// A 3×2 image whose every pixel differs: (x, y) holds (10x, 10y, 7).
    static let tiny: RGBImage = {
        var image = RGBImage(width: 3, height: 2)
        for y in 0..<2 { for x in 0..<3 { image[x, y] = (UInt8(10 * x), UInt8(10 * y), 7) } }
        return image
    }()

    @Test("each orientation is read from the APP1 block, in either byte order; none or malformed is up")
    func readsTag() throws {
        let jpeg = try JPEGCodec.encode(RGBImage(width: 16, height: 8, fill: (200, 10, 10)))
        #expect(ImageOrientation.of(jpeg: jpeg) == .up)
        for value in 1...8 {
            #expect(ImageOrientation.of(jpeg: Self.withOrientation(jpeg, value)) == ImageOrientation(rawValue: value))
            #expect(ImageOrientation.of(jpeg: Self.withOrientation(jpeg, value, bigEndian: false)) == ImageOrientation(rawValue: value))
        }
        // A file with the tag still decodes to the stored pixels.
        #expect(try JPEGCodec.decode(Self.withOrientation(jpeg, 6)).width == 16)
        #expect(ImageOrientation.of(jpeg: Self.withOrientation(jpeg, 9)) == .up)
        var broken = Self.withOrientation(jpeg, 6)
        let exif = try #require((0..<broken.count - 4).first { broken[$0..<$0 + 4].elementsEqual("Exif".utf8) })
        broken[exif + 6] = 0x58  // "XM": neither byte order
        #expect(ImageOrientation.of(jpeg: broken) == .up)
        #expect(ImageOrientation.of(jpeg: Array(Self.withOrientation(jpeg, 6).prefix(30))) == .up)
        #expect(ImageOrientation.of(jpeg: try PNGCodec.encode(Self.tiny)) == .up)
    }

    @Test("applying an orientation turns and mirrors the pixels as the EXIF specification says")
    func applies() {
        // Where stored pixel (x, y) of a 3×2 image lands in the upright image, per orientation.
        let expected: [ImageOrientation: (width: Int, place: (Int, Int) -> (Int, Int))] = [
            .up: (3, { x, y in (x, y) }),
            .upMirrored: (3, { x, y in (2 - x, y) }),
            .down: (3, { x, y in (2 - x, 1 - y) }),
            .downMirrored: (3, { x, y in (x, 1 - y) }),
            .leftMirrored: (2, { x, y in (y, x) }),
            .right: (2, { x, y in (1 - y, x) }),
            .rightMirrored: (2, { x, y in (1 - y, 2 - x) }),
            .left: (2, { x, y in (y, 2 - x) }),
        ]
        for orientation in ImageOrientation.allCases {
            let upright = orientation.apply(to: Self.tiny)
            let (width, place) = expected[orientation]!
            #expect(upright.width == width && upright.height == 6 / width, "\(orientation)")
            #expect(orientation.swapsDimensions == (width == 2))
            for y in 0..<2 {
                for x in 0..<3 {
                    let (ux, uy) = place(x, y)
                    #expect(upright[ux, uy] == Self.tiny[x, y], "\(orientation): stored \(x),\(y) should be at \(ux),\(uy)")
                }
            }
        }
    }

    @Test("decodeUpright turns a JPEG by its EXIF orientation, before or after DCT scaling; a PNG or an upright JPEG is as decoded")
    func decodeUpright() throws {
        let plain = try JPEGCodec.encode(JPEGCodecTests.smooth(width: 1600, height: 1200), quality: 90)
        let turned = Self.withOrientation(plain, 6)
        let upright = try ImageDecoder.decodeUpright(turned)
        #expect(upright.width == 1200 && upright.height == 1600)
        #expect(upright == ImageOrientation.right.apply(to: try ImageDecoder.decode(plain)))
        let scaled = try ImageDecoder.decodeUpright(turned, minimumSide: 300)
        #expect(scaled.width == 300 && scaled.height == 400)
        #expect(try ImageDecoder.decodeUpright(plain) == ImageDecoder.decode(plain))
        let png = try PNGCodec.encode(Self.tiny)
        #expect(try ImageDecoder.decodeUpright(png) == Self.tiny)
    }
}
