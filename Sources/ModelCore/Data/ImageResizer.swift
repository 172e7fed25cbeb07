import ImageCodec

/// Bilinear resizing of images to the network's input size.
///
/// SSD squashes every image to an `S×S` square (no letterbox), so boxes in normalised coordinates are
/// unchanged by the resize and only the pixels need resampling. Sampling follows OpenCV's `INTER_LINEAR`
/// (and PIL's bilinear) pixel-centre convention: output pixel `i` covers source coordinate
/// `(i + 0.5)·scale − 0.5`, so a resize neither shifts the image by half a pixel nor drops the last row.
///
/// Plain 2-tap bilinear only looks at the two nearest source pixels, so for downscales by more than 2
/// most source pixels would be skipped and a bee a few pixels wide could vanish or flicker between
/// frames. Axes shrunk by more than `ResamplingTable.antialiasingThreshold` (2) therefore use area
/// averaging (OpenCV's `INTER_AREA`, a box prefilter as wide as the scale factor), which weighs every
/// source pixel by how much of it the output pixel covers. Milder scales stay exactly OpenCV's bilinear;
/// at a scale of exactly 2 both are the same 2×2 average. (PIL's antialiased tent filter was the other
/// candidate: it blurs over twice the footprint and, just above a scale of 2, lets a 1-pixel pattern
/// through at ±15 %, where the box leaves ±6 %.)
///
/// The resize is separable: each output row first blends the few source rows its vertical filter covers
/// into one float row (contiguous, vectorised), then each output pixel blends a few pixels of that row
/// with its horizontal filter (one 4-lane vector per tap for the three channels). Filter positions and
/// weights come from precomputed `ResamplingTable`s.
public enum ImageResizer {
    /// Resizes `image` to `width × height` (aspect ratio not preserved).
    /// - Returns: `image` itself when the size already matches.
    public static func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        precondition(width > 0 && height > 0, "resize target must be positive, got \(width)×\(height)")
        if image.width == width && image.height == height { return image }
        let horizontal = ResamplingTable(sourceCount: image.width, outputCount: width)
        let vertical = ResamplingTable(sourceCount: image.height, outputCount: height)
        let sourceRowLength = image.width * 3
        // One spare float so the 4-lane load of the last pixel's three channels stays in bounds.
        var rowBuffer = [Float](repeating: 0, count: sourceRowLength + 1)
        let pixels = [UInt8](unsafeUninitializedCapacity: width * height * 3) { output, count in
            image.pixels.withUnsafeBufferPointer { source in
                rowBuffer.withUnsafeMutableBufferPointer { row in
                    for y in 0..<height {
                        blendRows(
                            source: source.baseAddress!,
                            rowLength: sourceRowLength,
                            firstRow: Int(vertical.starts[y]),
                            weights: vertical.weights,
                            weightOffset: y * vertical.taps,
                            taps: vertical.taps,
                            into: row.baseAddress!
                        )
                        blendColumns(row: row.baseAddress!, table: horizontal, into: output.baseAddress! + y * width * 3)
                    }
                }
            }
            count = width * height * 3
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// `row[j] = Σₖ w[k] · source[(firstRow + k) · rowLength + j]` for one output row, converting bytes to floats.
    @inline(__always)
    private static func blendRows(
        source: UnsafePointer<UInt8>,
        rowLength: Int,
        firstRow: Int,
        weights: [Float],
        weightOffset: Int,
        taps: Int,
        into row: UnsafeMutablePointer<Float>
    ) {
        let vectorEnd = rowLength & ~15
        for k in 0..<taps {
            let weight = weights[weightOffset + k]
            let sourceRow = source + (firstRow + k) * rowLength
            if k == 0 {
                var j = 0
                while j < vectorEnd {
                    let bytes = UnsafeRawPointer(sourceRow + j).loadUnaligned(as: SIMD16<UInt8>.self)
                    UnsafeMutableRawPointer(row + j).storeBytes(
                        of: SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: bytes)) * weight,
                        as: SIMD16<Float>.self
                    )
                    j += 16
                }
                while j < rowLength {
                    row[j] = Float(sourceRow[j]) * weight
                    j += 1
                }
            } else {
                if weight == 0 { continue }
                var j = 0
                while j < vectorEnd {
                    let bytes = UnsafeRawPointer(sourceRow + j).loadUnaligned(as: SIMD16<UInt8>.self)
                    let sum = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD16<Float>.self)
                    let blended = sum.addingProduct(SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: bytes)), weight)
                    UnsafeMutableRawPointer(row + j).storeBytes(of: blended, as: SIMD16<Float>.self)
                    j += 16
                }
                while j < rowLength {
                    row[j] += Float(sourceRow[j]) * weight
                    j += 1
                }
            }
        }
    }

    /// Resamples one blended float row horizontally into `width` RGB output pixels, rounded and clamped to bytes.
    ///
    /// Four output pixels are accumulated side by side: each pixel's taps form a chain of dependent
    /// multiply-adds, and four independent chains keep the FMA units busy instead of waiting on latency.
    @inline(__always)
    private static func blendColumns(row: UnsafePointer<Float>, table: ResamplingTable, into output: UnsafeMutablePointer<UInt8>) {
        let taps = table.taps
        table.starts.withUnsafeBufferPointer { starts in
            table.weights.withUnsafeBufferPointer { weights in
                let count = starts.count
                var x = 0
                while x + 4 <= count {
                    let p0 = row + Int(starts[x]) * 3
                    let p1 = row + Int(starts[x + 1]) * 3
                    let p2 = row + Int(starts[x + 2]) * 3
                    let p3 = row + Int(starts[x + 3]) * 3
                    let w = weights.baseAddress! + x * taps
                    var s0 = SIMD4<Float>.zero
                    var s1 = SIMD4<Float>.zero
                    var s2 = SIMD4<Float>.zero
                    var s3 = SIMD4<Float>.zero
                    for k in 0..<taps {
                        s0.addProduct(load4(p0 + 3 * k), w[k])
                        s1.addProduct(load4(p1 + 3 * k), w[taps + k])
                        s2.addProduct(load4(p2 + 3 * k), w[2 * taps + k])
                        s3.addProduct(load4(p3 + 3 * k), w[3 * taps + k])
                    }
                    store(s0, to: output + x * 3)
                    store(s1, to: output + x * 3 + 3)
                    store(s2, to: output + x * 3 + 6)
                    store(s3, to: output + x * 3 + 9)
                    x += 4
                }
                while x < count {
                    let p = row + Int(starts[x]) * 3
                    var sum = SIMD4<Float>.zero
                    for k in 0..<taps { sum.addProduct(load4(p + 3 * k), weights[x * taps + k]) }
                    store(sum, to: output + x * 3)
                    x += 1
                }
            }
        }
    }

    /// The three channels of one pixel of a float row (the fourth lane is the next pixel's red, unused).
    @inline(__always)
    private static func load4(_ pointer: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Float>.self)
    }

    /// Stores the first three lanes as one RGB pixel of bytes, rounded to the nearest level.
    ///
    /// No clamping: every filter weight is non-negative and they sum to 1, so a blend of bytes stays in
    /// `0...255` up to float rounding, which the rounding absorbs.
    @inline(__always)
    private static func store(_ value: SIMD4<Float>, to output: UnsafeMutablePointer<UInt8>) {
        let levels = value + roundingBias
        output[0] = UInt8(truncatingIfNeeded: levels.x.bitPattern)
        output[1] = UInt8(truncatingIfNeeded: levels.y.bitPattern)
        output[2] = UInt8(truncatingIfNeeded: levels.z.bitPattern)
    }

    /// 1.5·2²³: added to a float in `0...255`, it leaves the value rounded to the nearest integer (ties to
    /// even) in the low mantissa bits, so the low byte of the bit pattern is the level. Branch-free and
    /// vectorisable, where Swift's checked float→integer conversions (and its generic SIMD ones) cost
    /// several times the arithmetic of the whole resize.
    static let roundingBias: Float = 12_582_912

    /// Saturates each lane to `0...255` and adds `roundingBias`, like OpenCV's `saturate_cast<uchar>`; the
    /// level is the low byte of each lane's bit pattern. Written for the concrete vector type: the
    /// generic spelling (and `clamped`, `pointwiseMin`) is not inlined into vector instructions and runs
    /// ten times slower.
    @inline(__always)
    static func saturatedBytePatterns(_ value: SIMD8<Float>) -> SIMD8<Float> {
        var clamped = value.replacing(with: 0, where: value .< 0)
        clamped.replace(with: 255, where: clamped .> 255)
        return clamped + roundingBias
    }

    /// Resizes one float plane (`sourceWidth × sourceHeight`, row-major) into `output` (`width × height`),
    /// with the same filters as the image resize, e.g. for a single channel of a planar CHW tensor.
    public static func resize(
        plane source: UnsafeBufferPointer<Float>,
        sourceWidth: Int,
        sourceHeight: Int,
        into output: UnsafeMutableBufferPointer<Float>,
        width: Int,
        height: Int
    ) {
        precondition(source.count == sourceWidth * sourceHeight, "source plane must hold \(sourceWidth)×\(sourceHeight) floats")
        precondition(output.count == width * height, "output plane must hold \(width)×\(height) floats")
        let horizontal = ResamplingTable(sourceCount: sourceWidth, outputCount: width)
        let vertical = ResamplingTable(sourceCount: sourceHeight, outputCount: height)
        var row = [Float](repeating: 0, count: sourceWidth)
        for y in 0..<height {
            for j in 0..<sourceWidth { row[j] = 0 }
            for k in 0..<vertical.taps {
                let weight = vertical.weights[y * vertical.taps + k]
                let sourceRow = (Int(vertical.starts[y]) + k) * sourceWidth
                for j in 0..<sourceWidth { row[j] += source[sourceRow + j] * weight }
            }
            for x in 0..<width {
                let start = Int(horizontal.starts[x])
                var sum: Float = 0
                for k in 0..<horizontal.taps { sum += row[start + k] * horizontal.weights[x * horizontal.taps + k] }
                output[y * width + x] = sum
            }
        }
    }
}
