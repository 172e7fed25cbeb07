import GroundTruthFormat

/// The rule every stored box obeys: finite numbers, positive width and height, inside its (upright) image.
enum BoxGeometry {
    /// What is wrong with `box` on a `width`×`height` image, or `nil` when nothing is.
    static func problem(_ box: GroundTruthAnnotation, width: Int, height: Int) -> String? {
        guard [box.left, box.top, box.width, box.height].allSatisfy(\.isFinite) else { return "coordinates must be finite numbers" }
        guard box.width > 0, box.height > 0 else { return "width and height must be greater than 0" }
        guard box.left >= 0, box.top >= 0 else { return "left and top must be 0 or more (the image starts at 0,0)" }
        guard box.left + box.width <= Double(width) else {
            return "its right edge (left + width = \(NumberText.shortest(box.left + box.width))) is past the image's width \(width)"
        }
        guard box.top + box.height <= Double(height) else {
            return "its bottom edge (top + height = \(NumberText.shortest(box.top + box.height))) is past the image's height \(height)"
        }
        return nil
    }

    /// `left,top,width,height`, as `ctl labels add --box` takes it.
    static func describe(_ box: GroundTruthAnnotation) -> String {
        [box.left, box.top, box.width, box.height].map(NumberText.shortest).joined(separator: ",")
    }
}
