import ImageCodec
import Testing

@Suite("Box drawing")
struct BoxDrawingTests {
    @Test("an outline is drawn just outside the box and clipped to the image")
    func outlineOutsideBox() {
        var image = RGBImage(width: 10, height: 8)
        BoxDrawing.draw(boxes: [BoxDrawing.Box(left: 2, top: 2, width: 3, height: 2)], on: &image, color: (255, 0, 0))
        // The ring around columns 2..<5, rows 2..<4 is red; the box itself stays untouched.
        for y in 0..<8 {
            for x in 0..<10 {
                let ring = (1...5).contains(x) && (1...4).contains(y) && !((2..<5).contains(x) && (2..<4).contains(y))
                #expect(image[x, y] == (ring ? (255, 0, 0) : (0, 0, 0)), "pixel \(x),\(y)")
            }
        }
        // A box past the border draws only what falls inside, in its own colour.
        BoxDrawing.draw(boxes: [BoxDrawing.Box(left: 7.5, top: -3, width: 10, height: 4, color: (0, 255, 0))], on: &image, thickness: 2)
        #expect(image[9, 1] == (0, 255, 0))
        #expect(image[6, 0] == (0, 255, 0))
        #expect(image[8, 0] == (0, 0, 0))
    }

    @Test("a score tag: glyph pixels where the font says, the tag's background around them, moved inside the image")
    func scoreTag() {
        var image = RGBImage(width: 40, height: 20, fill: (9, 9, 9))
        TextDrawing.draw("1", left: 5, bottom: 15, on: &image, color: (255, 255, 255), background: (0, 200, 0))
        // The tag is 7×9 with its bottom-left at (5, 15): columns 5..<12, rows 6..<15; "1" starts at (6, 7).
        #expect(TextDrawing.size(of: "1", scale: 1) == (7, 9))
        #expect(image[5, 6] == (0, 200, 0) && image[11, 14] == (0, 200, 0))
        #expect(image[4, 6] == (9, 9, 9) && image[12, 6] == (9, 9, 9) && image[5, 5] == (9, 9, 9) && image[5, 15] == (9, 9, 9))
        // Row 0 of "1" is 0x04: only its middle column (x = 6 + 2) is lit.
        #expect(image[8, 7] == (255, 255, 255) && image[7, 7] == (0, 200, 0) && image[9, 7] == (0, 200, 0))
        // Row 6 of "1" is 0x0E: columns 1...3 lit.
        #expect((7...9).allSatisfy { image[$0, 13] == (255, 255, 255) } && image[6, 13] == (0, 200, 0))

        // A tag that would stick out at the top-right is moved inside, at scale 2.
        var corner = RGBImage(width: 30, height: 30)
        TextDrawing.draw("0.93", left: 25, bottom: 3, on: &corner, background: (255, 200, 0), scale: 2)
        let (width, height) = TextDrawing.size(of: "0.93", scale: 2)
        #expect(width == 50 && height == 18)
        #expect(corner[0, 0] == (255, 200, 0) && corner[29, 17] == (255, 200, 0) && corner[29, 18] == (0, 0, 0))
    }
}
