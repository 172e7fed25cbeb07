/// A floating-point RGBA raster (premultiplied alpha, 0…1) placed at `(originX, originY)` in image
/// coordinates: the whole photo, or a sprite layer such as one bee that is blurred before compositing.
///
/// Besides colour, a canvas can track `shape`: the largest geometric coverage any tracked fill gave each pixel,
/// independent of paint opacity. A bee's translucent wing thus counts fully towards the bee's mask, which is
/// what its ground-truth box is computed from.
struct Canvas {
    let originX: Int
    let originY: Int
    let width: Int
    let height: Int
    /// Premultiplied RGBA, row-major.
    var pixels: [SIMD4<Float>]
    /// Geometric coverage per pixel (0…1) of tracked fills; empty when not tracking.
    var shape: [Float]

    /// A transparent canvas.
    init(originX: Int = 0, originY: Int = 0, width: Int, height: Int, tracksShape: Bool = false) {
        self.originX = originX
        self.originY = originY
        self.width = max(width, 1)
        self.height = max(height, 1)
        pixels = [SIMD4<Float>](repeating: .zero, count: self.width * self.height)
        shape = tracksShape ? [Float](repeating: 0, count: self.width * self.height) : []
    }

    /// A transparent canvas covering `rect` (image coordinates) plus `margin` pixels on every side.
    init(covering rect: Rect, margin: Int, tracksShape: Bool = false) {
        let x0 = Int(rect.minX.rounded(.down)) - margin
        let y0 = Int(rect.minY.rounded(.down)) - margin
        let x1 = Int(rect.maxX.rounded(.up)) + margin
        let y1 = Int(rect.maxY.rounded(.up)) + margin
        self.init(originX: x0, originY: y0, width: x1 - x0, height: y1 - y0, tracksShape: tracksShape)
    }

    /// Fills `shape` source-over with an anti-aliased edge `feather` pixels wide (≥ 1; wider is softer, for
    /// out-of-focus objects). `paint(x, y, sample)` returns the straight (not premultiplied) colour and opacity.
    mutating func fill<S: Shape>(
        _ figure: S,
        feather: Float = 1,
        tracked: Bool = false,
        paint: (Float, Float, ShapeSample) -> SIMD4<Float>
    ) {
        let bounds = figure.bounds.expanded(by: feather)
        let x0 = max(Int(bounds.minX.rounded(.down)) - originX, 0)
        let y0 = max(Int(bounds.minY.rounded(.down)) - originY, 0)
        let x1 = min(Int(bounds.maxX.rounded(.up)) - originX, width - 1)
        let y1 = min(Int(bounds.maxY.rounded(.up)) - originY, height - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        let inverseFeather = 1 / max(feather, 1)
        let tracking = tracked && !shape.isEmpty
        for row in y0...y1 {
            let y = Float(row + originY) + 0.5
            for column in x0...x1 {
                let x = Float(column + originX) + 0.5
                let sample = figure.sample(x, y)
                let coverage = min(max(0.5 - sample.distance * inverseFeather, 0), 1)
                if coverage <= 0 { continue }
                let colour = paint(x, y, sample)
                let alpha = min(max(colour.w, 0), 1) * coverage
                let index = row * width + column
                let source = SIMD4(colour.x * alpha, colour.y * alpha, colour.z * alpha, alpha)
                pixels[index] = source + pixels[index] * (1 - alpha)
                if tracking, coverage > shape[index] { shape[index] = coverage }
            }
        }
    }

    /// Draws `layer` over this canvas (source-over), clipped to this canvas.
    mutating func composite(_ layer: Canvas) {
        let x0 = max(layer.originX, originX)
        let y0 = max(layer.originY, originY)
        let x1 = min(layer.originX + layer.width, originX + width)
        let y1 = min(layer.originY + layer.height, originY + height)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            var source = (y - layer.originY) * layer.width + (x0 - layer.originX)
            var target = (y - originY) * width + (x0 - originX)
            for _ in x0..<x1 {
                let top = layer.pixels[source]
                pixels[target] = top + pixels[target] * (1 - top.w)
                source += 1
                target += 1
            }
        }
    }

    /// The value of `shape` at image point `(x, y)`, or 0 outside the canvas.
    func shapeCoverage(x: Int, y: Int) -> Float {
        let column = x - originX
        let row = y - originY
        guard column >= 0, row >= 0, column < width, row < height, !shape.isEmpty else { return 0 }
        return shape[row * width + column]
    }

    /// The opacity at image point `(x, y)`, or 0 outside the canvas.
    func opacity(x: Int, y: Int) -> Float {
        let column = x - originX
        let row = y - originY
        guard column >= 0, row >= 0, column < width, row < height else { return 0 }
        return pixels[row * width + column].w
    }
}
