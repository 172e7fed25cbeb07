/// Blur for sprite layers: defocus (an approximate Gaussian from three box passes) and linear motion blur.
/// Both act on colour and on the tracked `shape` channel alike, so a blurred bee's mask spreads as its
/// pixels do, and thin legs that fade below half coverage leave the mask.
extension Canvas {
    /// Defocus blur with a Gaussian-like kernel of about `sigma` pixels.
    mutating func defocus(sigma: Float) {
        // Three box passes of width w have variance 3·(w² − 1)/12; choose the radius to match σ².
        let radius = Int(((sigma * sigma * 4 + 1).squareRoot() - 1) / 2 + 0.5)
        guard radius >= 1 else { return }
        for _ in 0..<3 {
            Self.boxPass(&pixels, width: width, height: height, radius: radius, horizontal: true)
            Self.boxPass(&pixels, width: width, height: height, radius: radius, horizontal: false)
            if !shape.isEmpty {
                Self.boxPass(&shape, width: width, height: height, radius: radius, horizontal: true)
                Self.boxPass(&shape, width: width, height: height, radius: radius, horizontal: false)
            }
        }
    }

    /// Motion blur: the average of the layer shifted along `(dx, dy)` (pixels, centred on the original).
    mutating func motionBlur(dx: Float, dy: Float) {
        let length = (dx * dx + dy * dy).squareRoot()
        // A tap every 1.5 pixels: bilinear reads fill the gaps.
        let taps = Int((length / 1.5).rounded(.up)) + 1
        guard taps >= 3 else { return }
        let offsets = (0..<taps).map { tap -> SIMD2<Float> in
            let t = Float(tap) / Float(taps - 1) - 0.5
            return SIMD2(dx * t, dy * t)
        }
        pixels = Self.averaged(pixels, width: width, height: height, offsets: offsets)
        if !shape.isEmpty { shape = Self.averaged(shape, width: width, height: height, offsets: offsets) }
    }

    private static func boxPass<T: BlurValue>(_ values: inout [T], width: Int, height: Int, radius: Int, horizontal: Bool) {
        let (count, lines, stride, lineStride) = horizontal ? (width, height, 1, width) : (height, width, width, 1)
        let scale = 1 / Float(2 * radius + 1)
        var line = [T](repeating: .zero, count: count)
        for l in 0..<lines {
            let start = l * lineStride
            for i in 0..<count { line[i] = values[start + i * stride] }
            // Running sum with zero padding outside the layer (layers are transparent at their edges).
            var sum = T.zero
            for i in 0..<min(radius, count) { sum = sum + line[i] }
            for i in 0..<count {
                if i + radius < count { sum = sum + line[i + radius] }
                if i - radius - 1 >= 0 { sum = sum - line[i - radius - 1] }
                values[start + i * stride] = sum.scaled(scale)
            }
        }
    }

    private static func averaged<T: BlurValue>(_ values: [T], width: Int, height: Int, offsets: [SIMD2<Float>]) -> [T] {
        var result = [T](repeating: .zero, count: values.count)
        let weight = 1 / Float(offsets.count)
        for offset in offsets {
            let ox = offset.x.rounded(.down)
            let oy = offset.y.rounded(.down)
            let fx = offset.x - ox
            let fy = offset.y - oy
            let ix = Int(ox)
            let iy = Int(oy)
            for row in 0..<height {
                for column in 0..<width {
                    // Bilinear read of values at (column + offset), zero outside.
                    func at(_ c: Int, _ r: Int) -> T {
                        c >= 0 && r >= 0 && c < width && r < height ? values[r * width + c] : .zero
                    }
                    let c = column + ix
                    let r = row + iy
                    let top = at(c, r).scaled(1 - fx) + at(c + 1, r).scaled(fx)
                    let bottom = at(c, r + 1).scaled(1 - fx) + at(c + 1, r + 1).scaled(fx)
                    let index = row * width + column
                    result[index] = result[index] + (top.scaled(1 - fy) + bottom.scaled(fy)).scaled(weight)
                }
            }
        }
        return result
    }
}

/// A pixel value the blurs can sum and scale: a colour or a coverage.
protocol BlurValue {
    static var zero: Self { get }
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    func scaled(_ factor: Float) -> Self
}

extension Float: BlurValue {
    func scaled(_ factor: Float) -> Float { self * factor }
}

extension SIMD4: BlurValue where Scalar == Float {
    func scaled(_ factor: Float) -> SIMD4<Float> { self * factor }
}
