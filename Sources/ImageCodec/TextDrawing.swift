/// Draws short labels — a detection's class and score, a chart's ticks and titles — onto an image with a built-in
/// 5×7 pixel font (printable ASCII), on a filled tag so they read on any background.
public enum TextDrawing {
    /// Rows of each glyph, top to bottom; bit 4 is the leftmost of 5 columns.
    static let glyphs: [Character: [UInt8]] = Font5x7.rows

    /// The size in pixels of `text`'s tag at `scale` (1 pixel of padding around the glyphs, 1 between them).
    public static func size(of text: String, scale: Int) -> (width: Int, height: Int) {
        ((text.count * 6 + 1) * scale, 9 * scale)
    }

    /// Draws `text` on a tag filled with `background`, its bottom-left corner at (`left`, `bottom`) — just above a
    /// box's top-left corner — moved inside the image when it would stick out. Characters without a glyph draw as
    /// spaces.
    public static func draw(
        _ text: String,
        left: Int,
        bottom: Int,
        on image: inout RGBImage,
        color: (r: UInt8, g: UInt8, b: UInt8) = (0, 0, 0),
        background: (r: UInt8, g: UInt8, b: UInt8),
        scale: Int = 1
    ) {
        guard scale > 0, !text.isEmpty else { return }
        let (width, height) = size(of: text, scale: scale)
        let x0 = max(0, min(left, image.width - width))
        let y0 = max(0, min(bottom - height, image.height - height))
        BoxDrawing.fill(&image, x0, y0, x0 + width, y0 + height, background)
        for (index, character) in text.enumerated() {
            let rows = glyphs[character] ?? glyphs[" "]!
            let glyphLeft = x0 + (1 + index * 6) * scale
            for (row, bits) in rows.enumerated() {
                for column in 0..<5 where bits & (0x10 >> column) != 0 {
                    let x = glyphLeft + column * scale
                    let y = y0 + (1 + row) * scale
                    BoxDrawing.fill(&image, x, y, x + scale, y + scale, color)
                }
            }
        }
    }
}
