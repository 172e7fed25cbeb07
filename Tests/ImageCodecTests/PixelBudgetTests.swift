import ImageCodec
import Testing

/// Decompression bombs: a few dozen bytes declaring 100000×100000 pixels once made the endpoint allocate 30 GB and
/// abort (issue 23). Every decode now refuses them from the header, before allocating.
@Suite("pixel budget")
struct PixelBudgetTests {
    /// A PNG of `width`×`height` 8-bit RGB pixels whose IDAT holds an empty zlib stream: 65 bytes whatever it declares.
    static func pngDeclaring(width: UInt32, height: UInt32) -> [UInt8] {
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
        }
        let header = bigEndian(width) + bigEndian(height) + [8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header)
            + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + chunk("IEND", [])
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }

    /// PNG's CRC-32 (polynomial 0xEDB88320), bit by bit.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test("a 65-byte PNG declaring 100000×100000 pixels is refused from its header")
    func pngBomb() throws {
        let bomb = Self.pngDeclaring(width: 100_000, height: 100_000)
        #expect(bomb.count < 70)
        let error = #expect(throws: ImageCodecError.self) { try ImageDecoder.decodeUpright(bomb, minimumSide: 300) }
        #expect(error?.reason.contains("100000×100000") == true, "\(String(describing: error))")
        // The same header within the budget gets as far as the (empty) pixel data.
        let small = #expect(throws: ImageCodecError.self) { try PNGCodec.decode(Self.pngDeclaring(width: 4, height: 4)) }
        #expect(small?.reason.contains("declares") == false)
    }

    @Test("a JPEG whose frame header declares 60000×60000 is refused, scaled decode or not")
    func jpegBomb() throws {
        var jpeg = try JPEGCodec.encode(RGBImage(width: 16, height: 16, fill: (10, 20, 30)), quality: 90)
        // The baseline frame header: FF C0, length (2), precision (1), height (2), width (2).
        let sof = try #require((0..<(jpeg.count - 1)).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        // (libjpeg-turbo itself refuses sides over 65500.)
        for (offset, byte) in zip(5..<9, [0xEA, 0x60, 0xEA, 0x60] as [UInt8]) { jpeg[sof + offset] = byte }
        for minimumSide in [nil, 300] as [Int?] {
            let error = #expect(throws: ImageCodecError.self) { try ImageDecoder.decode(jpeg, minimumSide: minimumSide) }
            #expect(error?.reason.contains("60000×60000") == true, "\(String(describing: error))")
        }
        #expect(PixelBudget.maximumPixels >= 48_000_000, "a 48 MP phone photo must still decode")
    }
}
