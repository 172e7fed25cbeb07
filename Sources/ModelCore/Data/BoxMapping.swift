/// How ground-truth boxes follow the geometric transforms of augmentation, in pixel coordinates of the
/// current window (pixel `(x, y)` covers `[x, x + 1) × [y, y + 1)`, so a box `[x₁, x₂)` is continuous).
///
/// Kept as plain functions so every transform (and the tests) maps boxes in exactly the same way.
enum BoxMapping {
    /// Boxes smaller than this many pixels on either side after clipping carry no learnable object and
    /// would give degenerate regression targets; they are dropped.
    static let minimumSide: Float = 1

    /// Clips every box to `[0, width] × [0, height]` and drops those left thinner than `minimumSide`.
    static func clipped(_ boxes: [GroundTruthBox], width: Int, height: Int) -> [GroundTruthBox] {
        let w = Float(width)
        let h = Float(height)
        return boxes.compactMap { object in
            var box = object.box
            box.xmin = min(max(box.xmin, 0), w)
            box.xmax = min(max(box.xmax, 0), w)
            box.ymin = min(max(box.ymin, 0), h)
            box.ymax = min(max(box.ymax, 0), h)
            guard box.width >= minimumSide, box.height >= minimumSide else { return nil }
            return GroundTruthBox(classID: object.classID, box: box)
        }
    }

    /// Moves every box by `(dx, dy)` pixels.
    static func translated(_ boxes: [GroundTruthBox], dx: Int, dy: Int) -> [GroundTruthBox] {
        let x = Float(dx)
        let y = Float(dy)
        return boxes.map { object in
            let b = object.box
            return GroundTruthBox(classID: object.classID, box: BoundingBox(xmin: b.xmin + x, ymin: b.ymin + y, xmax: b.xmax + x, ymax: b.ymax + y))
        }
    }

    /// Mirrors every box left–right in a window `width` pixels wide: `[x₁, x₂] ↦ [width − x₂, width − x₁]`.
    static func mirrored(_ boxes: [GroundTruthBox], width: Int) -> [GroundTruthBox] {
        let w = Float(width)
        return boxes.map { object in
            let b = object.box
            return GroundTruthBox(classID: object.classID, box: BoundingBox(xmin: w - b.xmax, ymin: b.ymin, xmax: w - b.xmin, ymax: b.ymax))
        }
    }

    /// Pixel boxes → coordinates normalised by the window size, SSD's `0...1` box space.
    static func normalized(_ boxes: [GroundTruthBox], width: Int, height: Int) -> [GroundTruthBox] {
        // Division rather than multiplication by a reciprocal, so that an edge at `width` maps to exactly 1.
        let w = Float(width)
        let h = Float(height)
        return boxes.map { object in
            let b = object.box
            return GroundTruthBox(classID: object.classID, box: BoundingBox(xmin: b.xmin / w, ymin: b.ymin / h, xmax: b.xmax / w, ymax: b.ymax / h))
        }
    }
}
