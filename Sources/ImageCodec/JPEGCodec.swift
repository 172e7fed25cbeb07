import CTurboJPEG

/// JPEG decoding and encoding through libjpeg-turbo's TurboJPEG API.
///
/// Why C: libjpeg-turbo decodes a 640×480 photo in about 1.4 ms with SIMD Huffman and IDCT code; nothing
/// written in Swift comes close. A TurboJPEG handle is not thread-safe, so each call owns its own.
public enum JPEGCodec {
    /// Decodes a baseline or progressive JPEG (any chroma subsampling, greyscale or colour) to RGB.
    /// - Parameters:
    ///   - bytes: the whole encoded file.
    ///   - minimumSide: when given, an image at least twice this long on both sides is decoded at the smallest of
    ///     libjpeg-turbo's DCT scaling factors 1/8, 1/4, 3/8, 1/2 that keeps both sides at least this long — what
    ///     a caller about to shrink the image to a `minimumSide` square needs. A factor of 1/8 keeps only each 8×8
    ///     block's mean (an exact 8×8 box filter), so a 4032×3024 photo decodes as 504×378 many times faster, with
    ///     no aliasing. Smaller images decode at full size, bit for bit as without it.
    /// - Throws: `ImageCodecError` with libjpeg-turbo's reason for corrupt or truncated data.
    public static func decode(_ bytes: [UInt8], minimumSide: Int? = nil) throws -> RGBImage {
        guard let handle = tjInitDecompress() else { throw ImageCodecError("cannot create a JPEG decoder") }
        defer { tjDestroy(handle) }
        var fullWidth: Int32 = 0
        var fullHeight: Int32 = 0
        var subsampling: Int32 = 0
        var colorspace: Int32 = 0
        let headerStatus = bytes.withUnsafeBufferPointer { buffer in
            tjDecompressHeader3(handle, buffer.baseAddress, UInt(buffer.count), &fullWidth, &fullHeight, &subsampling, &colorspace)
        }
        guard headerStatus == 0 else { throw ImageCodecError("invalid JPEG: \(errorString(handle))") }
        guard fullWidth > 0, fullHeight > 0 else { throw ImageCodecError("invalid JPEG: zero-sized image") }
        // libjpeg-turbo's buffers grow with the declared size even when it decodes scaled down: budget the full size.
        try PixelBudget.check(width: Int(fullWidth), height: Int(fullHeight), format: "JPEG")
        let (width, height) = minimumSide.map { scaledSize(width: fullWidth, height: fullHeight, minimumSide: Int32(clamping: $0)) }
            ?? (fullWidth, fullHeight)
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * 3)
        let status = bytes.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { destination in
                tjDecompress2(
                    handle,
                    source.baseAddress,
                    UInt(source.count),
                    destination.baseAddress,
                    width,
                    0,
                    height,
                    Int32(TJPF_RGB.rawValue),
                    Int32(TJFLAG_ACCURATEDCT)
                )
            }
        }
        // A truncated file decodes with a warning (grey bottom rows); Apiary treats that as corrupt.
        guard status == 0 else { throw ImageCodecError("corrupt JPEG: \(errorString(handle))") }
        return RGBImage(width: Int(width), height: Int(height), pixels: pixels)
    }

    /// The smallest DCT-scaled size (factor ≤ 1/2) with both sides `>= minimumSide`; the full size when none is.
    static func scaledSize(width: Int32, height: Int32, minimumSide: Int32) -> (width: Int32, height: Int32) {
        var count: Int32 = 0
        guard let factors = tjGetScalingFactors(&count) else { return (width, height) }
        var best = (width: width, height: height)
        for factor in UnsafeBufferPointer(start: factors, count: Int(count)) where 2 * factor.num <= factor.denom {
            // TJSCALED: ceil(dimension · num / denom).
            let scaledWidth = (width * factor.num + factor.denom - 1) / factor.denom
            let scaledHeight = (height * factor.num + factor.denom - 1) / factor.denom
            if scaledWidth >= minimumSide, scaledHeight >= minimumSide, scaledWidth < best.width {
                best = (scaledWidth, scaledHeight)
            }
        }
        return best
    }

    /// Encodes an RGB image as a baseline JPEG with 4:2:0 chroma subsampling.
    /// - Parameters:
    ///   - image: the pixels to encode.
    ///   - quality: 1 (smallest) … 100 (best).
    public static func encode(_ image: RGBImage, quality: Int = 90) throws -> [UInt8] {
        precondition((1...100).contains(quality), "JPEG quality must be 1...100, got \(quality)")
        guard let handle = tjInitCompress() else { throw ImageCodecError("cannot create a JPEG encoder") }
        defer { tjDestroy(handle) }
        var output: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let status = image.pixels.withUnsafeBufferPointer { source in
            tjCompress2(
                handle,
                source.baseAddress,
                Int32(image.width),
                0,
                Int32(image.height),
                Int32(TJPF_RGB.rawValue),
                &output,
                &size,
                Int32(TJSAMP_420.rawValue),
                Int32(quality),
                Int32(TJFLAG_ACCURATEDCT)
            )
        }
        defer { tjFree(output) }
        guard status == 0, let output else { throw ImageCodecError("JPEG encoding failed: \(errorString(handle))") }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }

    private static func errorString(_ handle: tjhandle) -> String {
        guard let message = tjGetErrorStr2(handle) else { return "unknown error" }
        return String(cString: message)
    }
}
