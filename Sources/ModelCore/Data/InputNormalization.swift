import ImageCodec

/// Turns 8-bit RGB pixels into the network's input: planar CHW floats `(x / 255 − mean) / std` per channel.
///
/// The ImageNet statistics are what the pretrained VGG-16 and ResNet-50 base networks were trained with
/// (and what MXNet/GluonCV's SSD feeds them), so a pretrained backbone sees inputs of the distribution it
/// expects; a from-scratch network simply gets zero-centred, unit-scale inputs.
///
/// Output goes into a caller-provided buffer so that each image of a batch `[B, 3, S, S]` is written
/// straight into its slice of the batch tensor, with no intermediate array per image.
public struct InputNormalization: Sendable, Equatable {
    /// Per-channel mean (R, G, B) of pixels scaled to `0...1`.
    public var mean: SIMD3<Float>
    /// Per-channel standard deviation (R, G, B) of pixels scaled to `0...1`.
    public var standardDeviation: SIMD3<Float>

    /// - Parameters:
    ///   - mean: per-channel mean in `0...1` units.
    ///   - standardDeviation: per-channel standard deviation in `0...1` units, all positive.
    public init(mean: SIMD3<Float>, standardDeviation: SIMD3<Float>) {
        precondition(all(standardDeviation .> 0), "standard deviations must be positive")
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// ImageNet statistics: mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).
    public static let imageNet = InputNormalization(mean: SIMD3(0.485, 0.456, 0.406), standardDeviation: SIMD3(0.229, 0.224, 0.225))

    /// The mean as an 8-bit colour, which normalises to ≈ 0: the neutral fill for padding and expansion.
    public var meanColor: SIMD3<UInt8> {
        let scaled = (mean * 255).rounded(.toNearestOrEven).clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 255))
        return SIMD3(UInt8(scaled.x), UInt8(scaled.y), UInt8(scaled.z))
    }

    /// Writes `image` as planar CHW floats into `output`: channel `c`, row `y`, column `x` lands at
    /// `output[(c · height + y) · width + x]`.
    /// - Parameter output: exactly `3 · image.height · image.width` floats, e.g. one image's slice of a batch.
    public func normalize(_ image: RGBImage, into output: UnsafeMutableBufferPointer<Float>) {
        let planeSize = image.width * image.height
        precondition(output.count == 3 * planeSize, "output must hold 3×\(image.height)×\(image.width) floats, got \(output.count)")
        // (x / 255 − m) / s  =  x · (1 / (255 s)) − m / s: one multiply-add per value.
        let scale = 1 / (255 * standardDeviation)
        let bias = -mean / standardDeviation
        let red = output.baseAddress!
        let green = red + planeSize
        let blue = green + planeSize
        image.pixels.withUnsafeBufferPointer { pixels in
            let source = pixels.baseAddress!
            var i = 0
            // Eight pixels at a time: deinterleave 24 bytes into three 8-lane vectors.
            while i + 8 <= planeSize {
                var r = SIMD8<Float>()
                var g = SIMD8<Float>()
                var b = SIMD8<Float>()
                for lane in 0..<8 {
                    let p = source + (i + lane) * 3
                    r[lane] = Float(p[0])
                    g[lane] = Float(p[1])
                    b[lane] = Float(p[2])
                }
                UnsafeMutableRawPointer(red + i).storeBytes(of: r * scale.x + bias.x, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(green + i).storeBytes(of: g * scale.y + bias.y, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(blue + i).storeBytes(of: b * scale.z + bias.z, as: SIMD8<Float>.self)
                i += 8
            }
            while i < planeSize {
                let p = source + i * 3
                red[i] = Float(p[0]) * scale.x + bias.x
                green[i] = Float(p[1]) * scale.y + bias.y
                blue[i] = Float(p[2]) * scale.z + bias.z
                i += 1
            }
        }
    }

    /// `image` as a new planar CHW array of `3 · height · width` floats.
    public func normalized(_ image: RGBImage) -> [Float] {
        [Float](unsafeUninitializedCapacity: 3 * image.width * image.height) { buffer, count in
            normalize(image, into: buffer)
            count = buffer.count
        }
    }
}
