import Foundation
import ImageCodec

/// Images made in the test: distinct content per `seed`, with an EXIF orientation when asked.
enum TestImages {
    /// A `width`×`height` JPEG; its content depends on `seed`, so different seeds give different files.
    static func jpeg(width: Int = 64, height: Int = 48, seed: Int = 0) throws -> [UInt8] {
        try JPEGCodec.encode(pattern(width: width, height: height, seed: seed), quality: 90)
    }

    static func png(width: Int = 64, height: Int = 48, seed: Int = 0) throws -> [UInt8] {
        try PNGCodec.encode(pattern(width: width, height: height, seed: seed))
    }

    /// Blocks of colour: the top-left 16×16 block red, the rest shaded by position and seed.
    static func pattern(width: Int, height: Int, seed: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                image[x, y] =
                    x < 16 && y < 16
                    ? (230, 20, 20) : (UInt8((x / 16 * 40 + seed * 7) % 200), UInt8((y / 16 * 50 + seed * 13) % 200), UInt8(seed % 251))
            }
        }
        return image
    }

    /// `jpeg` with an EXIF block recording `orientation` (1–8), after the JFIF APP0 segment as cameras write it.
    static func withOrientation(_ jpeg: [UInt8], _ orientation: Int) -> [UInt8] {
        let ifd: [UInt8] = [0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, UInt8(orientation), 0, 0, 0, 0, 0, 0]
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0, 0x4D, 0x4D, 0, 42, 0, 0, 0, 8] + ifd
        let segment: [UInt8] = [0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        let insertAt = 2 + (jpeg[3] == 0xE0 ? 2 + (Int(jpeg[4]) << 8 | Int(jpeg[5])) : 0)
        return Array(jpeg[..<insertAt]) + segment + Array(jpeg[insertAt...])
    }

    /// A fresh temporary folder.
    static func folder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
