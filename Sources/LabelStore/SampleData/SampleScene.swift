/// A pixel rectangle: columns `left..<left+width`, rows `top..<top+height`.
struct PixelBox: Equatable, Sendable {
    var left: Int
    var top: Int
    var width: Int
    var height: Int
}

/// One bee's pixels in a finished photo: what it painted, and how much of that later layers left visible.
///
/// A pixel belongs to the bee's *visible mask* when the bee covered more than half of it (geometric coverage,
/// so translucent wings count) times the transmittance of everything drawn on top of it is above one half.
struct BeeMask {
    let originX: Int
    let originY: Int
    let width: Int
    let height: Int
    /// The bee's geometric coverage per layer pixel.
    let coverage: [Float]
    /// The product of (1 − opacity) of every layer drawn over the bee, per layer pixel.
    var transmittance: [Float]
    /// Image size, for clipping.
    let imageWidth: Int
    let imageHeight: Int

    /// Whether image pixel `(x, y)` shows this bee.
    func isVisible(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < imageWidth, y < imageHeight else { return false }
        let column = x - originX
        let row = y - originY
        guard column >= 0, row >= 0, column < width, row < height else { return false }
        let i = row * width + column
        return coverage[i] * transmittance[i] > 0.5
    }

    /// Pixels the bee painted (over half covered), counting those outside the image.
    var paintedCount: Int { coverage.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) } }

    /// The tight box of the visible mask and the number of visible pixels; `nil` box when nothing shows.
    func visibleExtent() -> (box: PixelBox?, count: Int) {
        var minX = Int.max
        var minY = Int.max
        var maxX = Int.min
        var maxY = Int.min
        var count = 0
        for y in max(originY, 0)..<min(originY + height, imageHeight) {
            for x in max(originX, 0)..<min(originX + width, imageWidth) where isVisible(x: x, y: y) {
                count += 1
                minX = min(minX, x)
                maxX = max(maxX, x)
                minY = min(minY, y)
                maxY = max(maxY, y)
            }
        }
        guard count > 0 else { return (nil, 0) }
        return (PixelBox(left: minX, top: minY, width: maxX - minX + 1, height: maxY - minY + 1), count)
    }
}

/// A photo under construction: the canvas plus the mask of every bee drawn so far. Each layer added after a
/// bee hides that bee in proportion to its opacity — petals and leaves drawn over it, or another bee.
struct SampleScene {
    var canvas: Canvas
    private(set) var bees: [BeeMask] = []

    init(width: Int, height: Int) {
        canvas = Canvas(width: width, height: height)
    }

    /// Composites `layer` onto the photo; a bee layer (one that tracks shape) also gets a mask.
    mutating func add(_ layer: Canvas, isBee: Bool) {
        for index in bees.indices { occlude(&bees[index], by: layer) }
        canvas.composite(layer)
        if isBee {
            precondition(!layer.shape.isEmpty, "a bee layer must track its shape")
            bees.append(
                BeeMask(
                    originX: layer.originX,
                    originY: layer.originY,
                    width: layer.width,
                    height: layer.height,
                    coverage: layer.shape,
                    transmittance: [Float](repeating: 1, count: layer.shape.count),
                    imageWidth: canvas.width,
                    imageHeight: canvas.height
                )
            )
        }
    }

    private func occlude(_ bee: inout BeeMask, by layer: Canvas) {
        let x0 = max(bee.originX, layer.originX)
        let y0 = max(bee.originY, layer.originY)
        let x1 = min(bee.originX + bee.width, layer.originX + layer.width)
        let y1 = min(bee.originY + bee.height, layer.originY + layer.height)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 {
                let alpha = layer.pixels[(y - layer.originY) * layer.width + (x - layer.originX)].w
                if alpha > 0 { bee.transmittance[(y - bee.originY) * bee.width + (x - bee.originX)] *= 1 - alpha }
            }
        }
    }
}
