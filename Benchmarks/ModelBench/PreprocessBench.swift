import Dispatch
import ImageCodec
import ModelCore

/// `model-bench preprocess`: per-image time of the input pipeline on one core — training (augment + resize +
/// normalise) and validation (resize + normalise) for a 500×375 image at 300², and a 640×480 → 300² resize.
func preprocessBench() {
    var random = SeededGenerator(seed: 1)
    func noise(_ width: Int, _ height: Int) -> RGBImage {
        RGBImage(width: width, height: height, pixels: (0..<(width * height * 3)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
    }
    let image = noise(500, 375)
    let boxes = [GroundTruthBox(classID: 0, box: BoundingBox(xmin: 100, ymin: 80, xmax: 180, ymax: 140))]
    var output = [Float](repeating: 0, count: 3 * 300 * 300)
    func milliseconds(_ iterations: Int, _ body: (Int) -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<iterations { body(i) }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(iterations)
    }
    func prepare(_ assembler: ImageBatchAssembler) -> Double {
        milliseconds(500) { i in
            var generator = SeededGenerator(seed: UInt64(i))
            _ = output.withUnsafeMutableBufferPointer { assembler.prepare(image, boxes: boxes, random: &generator, into: $0) }
        }
    }
    let training = prepare(ImageBatchAssembler(imageSize: 300, augmentation: .ssd))
    let validation = prepare(ImageBatchAssembler(imageSize: 300))
    let large = noise(640, 480)
    let resize = milliseconds(500) { _ in _ = ImageResizer.resize(large, width: 300, height: 300) }
    print(
        #"{"impl": "apiary", "preprocess_training_ms": \#(training), "preprocess_validation_ms": \#(validation), "resize_640x480_to_300_ms": \#(resize)}"#
    )
}
