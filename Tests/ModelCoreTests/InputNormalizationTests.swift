import ImageCodec
import ModelCore
import Testing

@Suite("Input normalisation: HWC bytes → planar CHW ImageNet-normalised floats")
struct InputNormalizationTests {
    @Test("known pixels land in their channel planes as (x/255 − mean)/std")
    func knownPixels() {
        // 3×3 = 9 pixels: more than one 8-pixel vector plus a scalar tail.
        var image = RGBImage(width: 3, height: 3)
        let colors: [(UInt8, UInt8, UInt8)] = [
            (0, 0, 0), (255, 255, 255), (124, 116, 104), (10, 20, 30), (200, 100, 50), (1, 2, 3), (255, 0, 128), (77, 88, 99), (5, 250, 125),
        ]
        for (i, color) in colors.enumerated() { image[i % 3, i / 3] = color }
        let output = InputNormalization.imageNet.normalized(image)
        let mean: [Float] = [0.485, 0.456, 0.406]
        let std: [Float] = [0.229, 0.224, 0.225]
        var expected = [Float](repeating: 0, count: 27)
        for (i, color) in colors.enumerated() {
            for (c, value) in [color.0, color.1, color.2].enumerated() { expected[c * 9 + i] = (Float(value) / 255 - mean[c]) / std[c] }
        }
        expectClose(output, expected, atol: 1e-5, rtol: 1e-5, "normalised pixels")
        #expect(abs(output[0] - (-0.485 / 0.229)) < 1e-5 && abs(output[9 + 1] - (0.544 / 0.224)) < 1e-5)
    }

    @Test("the mean colour normalises to ≈ 0")
    func meanColor() {
        let fill = InputNormalization.imageNet.meanColor
        #expect(fill == SIMD3(124, 116, 104))
        let output = InputNormalization.imageNet.normalized(RGBImage(width: 2, height: 2, fill: (fill.x, fill.y, fill.z)))
        #expect(output.allSatisfy { abs($0) < 0.01 })
    }

    @Test("an image is written into its slice of a batch buffer and nowhere else")
    func batchSlice() {
        let image = AugmentationFixture.noise(width: 5, height: 4, seed: 1)
        let perImage = 3 * 5 * 4
        var batch = [Float](repeating: .nan, count: 3 * perImage)
        batch.withUnsafeMutableBufferPointer { buffer in
            InputNormalization.imageNet.normalize(image, into: UnsafeMutableBufferPointer(rebasing: buffer[perImage..<(2 * perImage)]))
        }
        #expect(batch[0..<perImage].allSatisfy(\.isNaN) && batch[(2 * perImage)...].allSatisfy(\.isNaN))
        #expect(Array(batch[perImage..<(2 * perImage)]) == InputNormalization.imageNet.normalized(image))
    }
}
