import ImageCodec

/// The geometric part of augmentation, composed before any pixel moves: a `width × height` window onto
/// the source image lying on an unbounded canvas of one fill colour, optionally mirrored left–right.
///
/// Expanding, cropping and flipping are all integer translations, resizings and a mirror of this window,
/// so SSD's expand → crop → flip chain composes into one `ImageWindow` and the pixels are copied once,
/// by `render`. In particular a 4× zoom-out followed by a small crop never materialises the 16×-area
/// canvas. Boxes are moved by the transforms themselves in window pixel coordinates, where the window's
/// pixel `(x, y)` covers `[x, x + 1) × [y, y + 1)`.
public struct ImageWindow: Sendable, Equatable {
    /// Window width in pixels.
    public private(set) var width: Int
    /// Window height in pixels.
    public private(set) var height: Int
    /// Where the source pixel `(0, 0)` lies in the window before mirroring (may be negative or outside).
    public private(set) var sourceOrigin: (x: Int, y: Int)
    /// True when the window is shown mirrored left–right.
    public private(set) var isMirrored: Bool

    /// The whole source image, untransformed.
    public init(sourceWidth: Int, sourceHeight: Int) {
        width = sourceWidth
        height = sourceHeight
        sourceOrigin = (0, 0)
        isMirrored = false
    }

    public static func == (a: ImageWindow, b: ImageWindow) -> Bool {
        a.width == b.width && a.height == b.height && a.sourceOrigin == b.sourceOrigin && a.isMirrored == b.isMirrored
    }

    /// Places the current window at `offset` inside a larger `width × height` canvas (zoom-out).
    public func expanded(width: Int, height: Int, offset: (x: Int, y: Int)) -> ImageWindow {
        precondition(width >= self.width && height >= self.height, "an expansion cannot shrink the window")
        var result = self
        // In mirrored coordinates the offset counts from the right edge of the unmirrored canvas.
        let unmirroredX = isMirrored ? width - self.width - offset.x : offset.x
        result.sourceOrigin = (sourceOrigin.x + unmirroredX, sourceOrigin.y + offset.y)
        result.width = width
        result.height = height
        return result
    }

    /// Keeps the sub-rectangle `x..<x+width, y..<y+height` of the current window (which may extend beyond it).
    public func cropped(x: Int, y: Int, width: Int, height: Int) -> ImageWindow {
        precondition(width > 0 && height > 0, "a crop must be non-empty")
        var result = self
        let unmirroredX = isMirrored ? self.width - x - width : x
        result.sourceOrigin = (sourceOrigin.x - unmirroredX, sourceOrigin.y - y)
        result.width = width
        result.height = height
        return result
    }

    /// The window mirrored left–right.
    public func mirrored() -> ImageWindow {
        var result = self
        result.isMirrored.toggle()
        return result
    }

    /// True when rendering `width × height` source pixels would reproduce them unchanged.
    public func isIdentity(sourceWidth: Int, sourceHeight: Int) -> Bool {
        width == sourceWidth && height == sourceHeight && sourceOrigin == (0, 0) && !isMirrored
    }

    /// Copies the window's pixels out of `image`, canvas outside the source painted `fill`.
    public func render(_ image: RGBImage, fill: SIMD3<UInt8>) -> RGBImage {
        if isIdentity(sourceWidth: image.width, sourceHeight: image.height) { return image }
        let rowBytes = width * 3
        // The source columns visible in the window, in unmirrored window coordinates.
        let visibleStart = max(sourceOrigin.x, 0)
        let visibleEnd = min(sourceOrigin.x + image.width, width)
        let pixels = [UInt8](unsafeUninitializedCapacity: rowBytes * height) { output, count in
            let out = output.baseAddress!
            // A row of fill colour to copy from.
            var fillRow = [UInt8](repeating: 0, count: rowBytes)
            for x in 0..<width {
                fillRow[x * 3] = fill.x
                fillRow[x * 3 + 1] = fill.y
                fillRow[x * 3 + 2] = fill.z
            }
            image.pixels.withUnsafeBufferPointer { source in
                fillRow.withUnsafeBufferPointer { fillBytes in
                    for y in 0..<height {
                        let row = out + y * rowBytes
                        let sourceY = y - sourceOrigin.y
                        guard sourceY >= 0, sourceY < image.height, visibleStart < visibleEnd else {
                            row.update(from: fillBytes.baseAddress!, count: rowBytes)
                            continue
                        }
                        row.update(from: fillBytes.baseAddress!, count: visibleStart * 3)
                        let sourceRow = source.baseAddress! + (sourceY * image.width + visibleStart - sourceOrigin.x) * 3
                        (row + visibleStart * 3).update(from: sourceRow, count: (visibleEnd - visibleStart) * 3)
                        (row + visibleEnd * 3).update(from: fillBytes.baseAddress!, count: (width - visibleEnd) * 3)
                        if isMirrored { Self.mirror(row: row, width: width) }
                    }
                }
            }
            count = rowBytes * height
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Reverses the order of the RGB pixels of one row in place.
    private static func mirror(row: UnsafeMutablePointer<UInt8>, width: Int) {
        var left = 0
        var right = width - 1
        while left < right {
            for c in 0..<3 { swap(&row[left * 3 + c], &row[right * 3 + c]) }
            left += 1
            right -= 1
        }
    }
}
