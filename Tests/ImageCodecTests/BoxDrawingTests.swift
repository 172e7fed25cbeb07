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
}
