/// An 8-bit RGB image, pixels interleaved row by row (HWC: `pixels[(y * width + x) * 3 + channel]`).
///
/// Every codec in Apiary decodes to this one layout, so that sizes, boxes and training tensors all
/// agree on what a pixel coordinate means.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `height * width * 3` bytes, RGB interleaved.
    public var pixels: [UInt8]

    /// Wraps existing pixel bytes.
    /// - Parameters:
    ///   - width: width in pixels, > 0.
    ///   - height: height in pixels, > 0.
    ///   - pixels: exactly `width * height * 3` bytes.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "image dimensions must be positive, got \(width)×\(height)")
        precondition(pixels.count == width * height * 3, "expected \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A single-colour image.
    /// - Parameters:
    ///   - width: width in pixels, > 0.
    ///   - height: height in pixels, > 0.
    ///   - fill: the RGB colour of every pixel.
    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8) = (0, 0, 0)) {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            pixels[i] = fill.0
            pixels[i + 1] = fill.1
            pixels[i + 2] = fill.2
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// The RGB value at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        get {
            let i = (y * width + x) * 3
            return (pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = (y * width + x) * 3
            pixels[i] = newValue.r
            pixels[i + 1] = newValue.g
            pixels[i + 2] = newValue.b
        }
    }
}
