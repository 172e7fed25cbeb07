/// Decodes JPEG or PNG bytes, choosing the codec by magic bytes.
public enum ImageDecoder {
    /// Decodes any supported image.
    /// - Parameters:
    ///   - bytes: the whole encoded file.
    ///   - minimumSide: when given, a large JPEG may come out smaller, down to both sides at least this long (DCT
    ///     scaling, see `JPEGCodec.decode(_:minimumSide:)`); PNGs always decode at full size.
    /// - Throws: `ImageCodecError` naming the problem, including "not a JPEG or PNG file".
    public static func decode(_ bytes: [UInt8], minimumSide: Int? = nil) throws -> RGBImage {
        switch ImageFormat.sniff(bytes) {
        case .jpeg: return try JPEGCodec.decode(bytes, minimumSide: minimumSide)
        case .png: return try PNGCodec.decode(bytes)
        case nil:
            if bytes.isEmpty { throw ImageCodecError("empty file: 0 bytes") }
            let head = bytes.prefix(4).map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined(separator: " ")
            throw ImageCodecError("not a JPEG or PNG file (starts with \(head))")
        }
    }
}

extension ImageDecoder {
    /// Decodes an image and turns it upright by its EXIF orientation (JPEG only): the pixels a browser shows, a
    /// labeler boxes, and OpenCV's `imdecode` (behind SageMaker's built-in algorithm) returns. Training channels,
    /// endpoints and drawings all decode this way, so boxes mean the same pixels everywhere.
    /// - Parameter minimumSide: as in `decode(_:minimumSide:)`, applied before turning.
    public static func decodeUpright(_ bytes: [UInt8], minimumSide: Int? = nil) throws -> RGBImage {
        ImageOrientation.of(jpeg: bytes).apply(to: try decode(bytes, minimumSide: minimumSide))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
