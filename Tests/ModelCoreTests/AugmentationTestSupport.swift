import Foundation
import ImageCodec
import ModelCore

/// Synthetic images and pixel probes shared by the resize, augmentation and batch tests.
enum AugmentationFixture {
    /// A textured blue-green background (a smooth gradient plus a faint deterministic pattern), so
    /// crops and flips move distinguishable pixels and no two regions look alike.
    static func background(width: Int, height: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let ripple = UInt8((x * 7 + y * 13) % 23)
                image[x, y] = (UInt8(20 + (x * 60) / width) + ripple, UInt8(90 + (y * 60) / height), UInt8(150 + ripple * 2))
            }
        }
        return image
    }

    /// `image` with the pixel rectangle `[x0, x1) × [y0, y1)` painted `color`.
    static func painted(_ image: RGBImage, x0: Int, y0: Int, x1: Int, y1: Int, color: (UInt8, UInt8, UInt8) = (230, 20, 30)) -> RGBImage {
        var image = image
        for y in max(y0, 0)..<min(y1, image.height) {
            for x in max(x0, 0)..<min(x1, image.width) { image[x, y] = (color.0, color.1, color.2) }
        }
        return image
    }

    /// An image whose pixel `(x, y)` is `(x, y, 77)`, so any crop or flip of it tells where it came from.
    static func coordinates(width: Int, height: Int) -> RGBImage {
        precondition(width <= 256 && height <= 256)
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width { image[x, y] = (UInt8(x), UInt8(y), 77) }
        }
        return image
    }

    /// A random-noise image from a test generator.
    static func noise(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var random = TestRandom(seed: seed)
        return RGBImage(width: width, height: height, pixels: (0..<(width * height * 3)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
    }

    /// The pixel extent `[xmin, xmax) × [ymin, ymax)` where `with` and `without` (the same scene, with and
    /// without an object, pushed through identical transforms) differ by at least half their largest
    /// difference: the object's footprint measured at half coverage, whatever colours it was given.
    static func objectExtent(with: RGBImage, without: RGBImage) -> BoundingBox? {
        precondition(with.width == without.width && with.height == without.height)
        func difference(_ x: Int, _ y: Int) -> Int {
            let a = with[x, y]
            let b = without[x, y]
            return max(abs(Int(a.r) - Int(b.r)), abs(Int(a.g) - Int(b.g)), abs(Int(a.b) - Int(b.b)))
        }
        var largest = 0
        for y in 0..<with.height { for x in 0..<with.width { largest = max(largest, difference(x, y)) } }
        guard largest > 0 else { return nil }
        var extent: (x0: Int, y0: Int, x1: Int, y1: Int) = (Int.max, Int.max, Int.min, Int.min)
        for y in 0..<with.height {
            for x in 0..<with.width where 2 * difference(x, y) >= largest {
                extent = (min(extent.x0, x), min(extent.y0, y), max(extent.x1, x + 1), max(extent.y1, y + 1))
            }
        }
        return BoundingBox(xmin: Float(extent.x0), ymin: Float(extent.y0), xmax: Float(extent.x1), ymax: Float(extent.y1))
    }

    /// Largest absolute difference between corresponding corners of two boxes.
    static func cornerDistance(_ a: BoundingBox, _ b: BoundingBox) -> Float {
        max(abs(a.xmin - b.xmin), abs(a.ymin - b.ymin), abs(a.xmax - b.xmax), abs(a.ymax - b.ymax))
    }

    /// `image` with a 1-pixel outline of `box` (pixel coordinates) drawn in `color`, for looking at samples.
    static func outlined(_ image: RGBImage, box: BoundingBox, color: (UInt8, UInt8, UInt8)) -> RGBImage {
        var image = image
        let x0 = min(max(Int(box.xmin.rounded()), 0), image.width - 1)
        let x1 = min(max(Int(box.xmax.rounded()) - 1, 0), image.width - 1)
        let y0 = min(max(Int(box.ymin.rounded()), 0), image.height - 1)
        let y1 = min(max(Int(box.ymax.rounded()) - 1, 0), image.height - 1)
        for x in x0...max(x0, x1) {
            image[x, y0] = color
            image[x, y1] = color
        }
        for y in y0...max(y0, y1) {
            image[x0, y] = color
            image[x1, y] = color
        }
        return image
    }

    /// True when the environment variable `name` is set to `1`.
    static func enabled(_ name: String) -> Bool { ProcessInfo.processInfo.environment[name] == "1" }
}
