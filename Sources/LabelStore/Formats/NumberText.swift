import Foundation

/// Coordinates as text that reads back to the same `Double`s, bit for bit, even through the arithmetic of
/// Pascal VOC corners (`xmax = left + width`) and YOLO's normalised centres (`cx = (left + width / 2) / W`).
///
/// A `Double` is taken as the exact decimal of its shortest representation (`95.39999999999998`, at most 17
/// significant digits); sums and quotients are done in 38-digit decimal arithmetic; reading rounds back to
/// 17 significant digits, which recovers that decimal exactly, and so the `Double`.
enum NumberText {
    /// `x` in the fewest digits that read back as `x`, never in exponent notation: `177`, `95.39999999999998`.
    static func shortest(_ x: Double) -> String {
        plain(decimal(x))
    }

    /// The decimal value of `x`'s shortest representation.
    static func decimal(_ x: Double) -> Decimal {
        Decimal(string: "\(x)") ?? Decimal(x)
    }

    /// A decimal in plain notation, without trailing zeros: `0.4494`, `272.4`.
    static func plain(_ value: Decimal) -> String {
        var text = value.description
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// The coordinate a computed decimal stands for, in an image `scale` pixels across: rounded to 17
    /// significant digits (values within 10⁻³⁰ of the scale are 0, the residue of cancellation).
    static func double(_ value: Decimal, scale: Int) -> Double {
        if abs(value) <= Decimal(scale) * Decimal(sign: .plus, exponent: -30, significand: 1) { return 0 }
        return Double(plain(rounded(value, significantDigits: 17))) ?? .nan
    }

    /// A decimal number read from a label file (`272.4`, `1e-3`), or `nil`.
    static func parse(_ text: some StringProtocol) -> Decimal? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, Double(trimmed)?.isFinite == true else { return nil }
        return Decimal(string: trimmed)
    }

    /// `value` rounded to `digits` significant digits.
    static func rounded(_ value: Decimal, significantDigits digits: Int) -> Decimal {
        guard value != 0 else { return 0 }
        var value = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, digits - 1 - magnitude(value), .plain)
        return rounded
    }

    /// ⌊log₁₀ |value|⌋ for a non-zero value, exactly: estimated through `Double`, then corrected by comparing
    /// with powers of ten (a value like 0.99999999999999999999 rounds to 1 as a `Double`).
    private static func magnitude(_ value: Decimal) -> Int {
        let size = abs(value)
        var estimate = Int(log10(NSDecimalNumber(decimal: size).doubleValue).rounded(.down))
        if size < Decimal(sign: .plus, exponent: estimate, significand: 1) { estimate -= 1 }
        if size >= Decimal(sign: .plus, exponent: estimate + 1, significand: 1) { estimate += 1 }
        return estimate
    }
}
