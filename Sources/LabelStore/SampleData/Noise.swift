/// Smooth 2-D value noise and its fractal sum, the raw material of backgrounds, fur and textures.
///
/// Lattice values come from an integer hash of the cell and the seed, interpolated with a quintic fade, so a
/// field is a pure function of `(seed, x, y)`: no tables, no platform randomness.
struct ValueNoise: Sendable {
    /// Selects one of 2³² independent fields.
    let seed: UInt32

    init(seed: UInt32) {
        self.seed = seed
    }

    init(_ random: inout SeededRandom) {
        seed = UInt32(truncatingIfNeeded: random.next())
    }

    /// The lattice value of cell `(x, y)`, in `[0, 1)`.
    @inline(__always)
    func lattice(_ x: Int32, _ y: Int32) -> Float {
        Float(bits(x, y) >> 8) * (1.0 / 16_777_216.0)
    }

    /// 32 well-mixed bits for cell `(x, y)`.
    @inline(__always)
    func bits(_ x: Int32, _ y: Int32) -> UInt32 {
        var h = UInt32(bitPattern: x) &* 0x27D4_EB2D ^ UInt32(bitPattern: y) &* 0x1656_67B1 ^ seed &* 0x9E37_79B9
        h = (h ^ (h >> 15)) &* 0x85EB_CA6B
        h = (h ^ (h >> 13)) &* 0xC2B2_AE35
        return h ^ (h >> 16)
    }

    /// Smooth noise in `[0, 1]` with features about one unit apart.
    @inline(__always)
    func sample(_ x: Float, _ y: Float) -> Float {
        let fx = x.rounded(.down)
        let fy = y.rounded(.down)
        let ix = Int32(truncatingIfNeeded: Int(fx))
        let iy = Int32(truncatingIfNeeded: Int(fy))
        let tx = Self.fade(x - fx)
        let ty = Self.fade(y - fy)
        let a = lattice(ix, iy)
        let b = lattice(ix &+ 1, iy)
        let c = lattice(ix, iy &+ 1)
        let d = lattice(ix &+ 1, iy &+ 1)
        let top = a + (b - a) * tx
        let bottom = c + (d - c) * tx
        return top + (bottom - top) * ty
    }

    /// Fractal sum of `octaves` layers (each twice the frequency, `gain` times the amplitude), in `[0, 1]`.
    func fractal(_ x: Float, _ y: Float, octaves: Int, gain: Float = 0.5) -> Float {
        var sum: Float = 0
        var amplitude: Float = 1
        var total: Float = 0
        var frequency: Float = 1
        for octave in 0..<octaves {
            // Offset each octave so lattice points of different octaves do not line up.
            let shift = Float(octave) * 17.31
            sum += amplitude * sample(x * frequency + shift, y * frequency - shift)
            total += amplitude
            amplitude *= gain
            frequency *= 2
        }
        return sum / total
    }

    @inline(__always)
    private static func fade(_ t: Float) -> Float {
        t * t * t * (t * (t * 6 - 15) + 10)
    }
}

/// A noise field evaluated on a coarse grid and interpolated bilinearly: backgrounds are soft, so computing
/// fractal noise at every pixel would waste most of the generator's time.
struct CoarseField {
    let width: Int
    let height: Int
    let step: Int
    private let columns: Int
    private let values: [Float]

    /// Samples `function(x, y)` (pixel coordinates) every `step` pixels over a `width`×`height` image.
    init(width: Int, height: Int, step: Int, _ function: (Float, Float) -> Float) {
        self.width = width
        self.height = height
        self.step = step
        columns = width / step + 2
        let rows = height / step + 2
        var values = [Float](repeating: 0, count: columns * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                values[row * columns + column] = function(Float(column * step), Float(row * step))
            }
        }
        self.values = values
    }

    /// The interpolated value at pixel `(x, y)`.
    @inline(__always)
    func value(_ x: Int, _ y: Int) -> Float {
        let column = x / step
        let row = y / step
        let tx = Float(x - column * step) / Float(step)
        let ty = Float(y - row * step) / Float(step)
        let i = row * columns + column
        let top = values[i] + (values[i + 1] - values[i]) * tx
        let bottom = values[i + columns] + (values[i + columns + 1] - values[i + columns]) * tx
        return top + (bottom - top) * ty
    }
}
