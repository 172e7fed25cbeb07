import GroundTruthFormat

/// How label-store values print: numbers exactly (`177`, `95.39999999999998`).
enum LabelText {
    /// A coordinate, exactly: whole numbers without a fraction.
    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }

    /// `left,top,width,height`, as `--box` takes it.
    static func geometry(_ box: GroundTruthAnnotation) -> String {
        [box.left, box.top, box.width, box.height].map(number).joined(separator: ",")
    }
}
