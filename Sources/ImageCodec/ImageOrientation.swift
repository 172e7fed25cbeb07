/// How a camera says its pixels must be turned to look upright: the EXIF `Orientation` tag (0x0112), values 1–8.
///
/// Phones store pixels as the sensor read them and record the turn in this tag; browsers and most viewers apply
/// it, many training pipelines do not. Apiary applies it once, when an image enters a dataset, so that sizes,
/// boxes, exports and training all see the same upright pixels.
public enum ImageOrientation: Int, Sendable, CaseIterable {
    /// 1: already upright.
    case up = 1
    /// 2: mirrored left to right.
    case upMirrored = 2
    /// 3: upside down (turn 180°).
    case down = 3
    /// 4: mirrored top to bottom.
    case downMirrored = 4
    /// 5: mirrored along the main diagonal (transpose).
    case leftMirrored = 5
    /// 6: turn 90° clockwise to view.
    case right = 6
    /// 7: mirrored along the anti-diagonal (transverse).
    case rightMirrored = 7
    /// 8: turn 90° counter-clockwise to view.
    case left = 8

    /// Whether the upright image's width is the stored height (orientations 5–8).
    public var swapsDimensions: Bool { rawValue >= 5 }

    /// The orientation a JPEG's EXIF block (APP1) records; `.up` when it records none or the block is malformed.
    /// PNG files (and anything that is not a JPEG) are `.up`.
    public static func of(jpeg bytes: [UInt8]) -> ImageOrientation {
        guard ImageFormat.sniff(bytes) == .jpeg else { return .up }
        var position = 2
        // Walk the marker segments up to the start of scan: FF xx, then a big-endian length that counts itself.
        while position + 4 <= bytes.count {
            guard bytes[position] == 0xFF else { return .up }
            let marker = bytes[position + 1]
            if marker == 0xFF {
                position += 1  // fill byte
                continue
            }
            if marker == 0xDA || marker == 0xD9 { return .up }  // start of scan, end of image: no EXIF before the pixels
            let length = Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
            guard length >= 2, position + 2 + length <= bytes.count else { return .up }
            let payload = (position + 4)..<(position + 2 + length)
            if marker == 0xE1, let orientation = exifOrientation(bytes[payload]) { return orientation }
            position += 2 + length
        }
        return .up
    }

    /// The upright image: `image` turned and mirrored as this orientation says.
    public func apply(to image: RGBImage) -> RGBImage {
        guard self != .up else { return image }
        let (w, h) = (image.width, image.height)
        let (outWidth, outHeight) = swapsDimensions ? (h, w) : (w, h)
        var pixels = [UInt8](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { destination in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        // The stored pixel that lands at upright (x, y).
                        let (sx, sy): (Int, Int) =
                            switch self {
                            case .up: (x, y)
                            case .upMirrored: (w - 1 - x, y)
                            case .down: (w - 1 - x, h - 1 - y)
                            case .downMirrored: (x, h - 1 - y)
                            case .leftMirrored: (y, x)
                            case .right: (y, h - 1 - x)
                            case .rightMirrored: (w - 1 - y, h - 1 - x)
                            case .left: (w - 1 - y, x)
                            }
                        let from = (sy * w + sx) * 3
                        let to = (y * outWidth + x) * 3
                        destination[to] = source[from]
                        destination[to + 1] = source[from + 1]
                        destination[to + 2] = source[from + 2]
                    }
                }
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: pixels)
    }

    /// The Orientation tag of IFD0 in an APP1 payload (`Exif\0\0`, then a TIFF header and IFDs), or `nil`.
    private static func exifOrientation(_ payload: ArraySlice<UInt8>) -> ImageOrientation? {
        let bytes = Array(payload)
        guard bytes.count >= 14, bytes[0..<6].elementsEqual([0x45, 0x78, 0x69, 0x66, 0, 0]) else { return nil }
        let tiff = 6
        let littleEndian: Bool
        switch (bytes[tiff], bytes[tiff + 1]) {
        case (0x49, 0x49): littleEndian = true  // "II"
        case (0x4D, 0x4D): littleEndian = false  // "MM"
        default: return nil
        }
        func read(_ offset: Int, _ size: Int) -> Int? {
            guard offset >= 0, offset + size <= bytes.count else { return nil }
            var value = 0
            for i in 0..<size {
                let byte = Int(bytes[offset + (littleEndian ? size - 1 - i : i)])
                value = value << 8 | byte
            }
            return value
        }
        guard read(tiff + 2, 2) == 42, let ifd = read(tiff + 4, 4), let count = read(tiff + ifd, 2) else { return nil }
        for entry in 0..<count {
            let start = tiff + ifd + 2 + entry * 12
            guard let tag = read(start, 2), let type = read(start + 2, 2) else { return nil }
            guard tag == 0x0112 else { continue }
            guard type == 3, let value = read(start + 8, 2) else { return nil }  // SHORT, stored in the entry itself
            return ImageOrientation(rawValue: value)
        }
        return nil
    }
}
