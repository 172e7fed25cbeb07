import CPNG

/// PNG decoding and encoding through libpng's simplified API.
///
/// Any PNG colour type and bit depth (palette, grey, alpha, 16-bit) decodes to 8-bit RGB; alpha is
/// composited onto black, as a training pipeline that ignores alpha would see it.
public enum PNGCodec {
    /// Decodes a PNG file to RGB.
    /// - Parameter bytes: the whole encoded file.
    /// - Throws: `ImageCodecError` with libpng's reason for corrupt or truncated data.
    public static func decode(_ bytes: [UInt8]) throws -> RGBImage {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        let began = bytes.withUnsafeBufferPointer { buffer in
            png_image_begin_read_from_memory(&image, buffer.baseAddress, buffer.count)
        }
        guard began != 0 else { throw ImageCodecError("invalid PNG: \(message(of: image))") }
        guard image.width > 0, image.height > 0 else { throw ImageCodecError("invalid PNG: zero-sized image") }
        image.format = png_uint_32(PNG_FORMAT_RGB)
        let width = Int(image.width)
        let height = Int(image.height)
        try PixelBudget.check(width: width, height: height, format: "PNG")
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let finished = pixels.withUnsafeMutableBufferPointer { destination in
            png_image_finish_read(&image, nil, destination.baseAddress, Int32(width * 3), nil)
        }
        guard finished != 0 else { throw ImageCodecError("corrupt PNG: \(message(of: image))") }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Encodes an RGB image as an 8-bit RGB PNG (lossless).
    public static func encode(_ image: RGBImage) throws -> [UInt8] {
        var descriptor = png_image()
        descriptor.version = png_uint_32(PNG_IMAGE_VERSION)
        descriptor.width = png_uint_32(image.width)
        descriptor.height = png_uint_32(image.height)
        descriptor.format = png_uint_32(PNG_FORMAT_RGB)
        defer { png_image_free(&descriptor) }
        // First call measures, second writes (libpng's documented two-pass protocol).
        var size = 0
        let measured = image.pixels.withUnsafeBufferPointer { source in
            png_image_write_to_memory(&descriptor, nil, &size, 0, source.baseAddress, Int32(image.width * 3), nil)
        }
        guard measured != 0, size > 0 else { throw ImageCodecError("PNG encoding failed: \(message(of: descriptor))") }
        var output = [UInt8](repeating: 0, count: size)
        let written = image.pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                png_image_write_to_memory(&descriptor, destination.baseAddress, &size, 0, source.baseAddress, Int32(image.width * 3), nil)
            }
        }
        guard written != 0 else { throw ImageCodecError("PNG encoding failed: \(message(of: descriptor))") }
        return Array(output.prefix(size))
    }

    private static func message(of image: png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            let chars = raw.bindMemory(to: CChar.self)
            let length = chars.firstIndex(of: 0) ?? chars.count
            return String(decoding: raw.prefix(length), as: UTF8.self)
        }
    }
}
