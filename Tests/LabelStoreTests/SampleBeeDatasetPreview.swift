import Foundation
import ImageCodec
import Testing

@testable import LabelStore

/// Not a check but a tool: with `APIARY_SAMPLE_PREVIEW=<directory>` set, writes sample images with their
/// ground-truth boxes drawn, and contact sheets, for a person to look at. Skipped otherwise.
@Suite("Sample bee dataset preview")
struct SampleBeeDatasetPreview {
    static let directory = ProcessInfo.processInfo.environment["APIARY_SAMPLE_PREVIEW"]

    @Test("writes annotated samples and contact sheets", .enabled(if: directory != nil))
    func writePreview() throws {
        let output = URL(fileURLWithPath: Self.directory!, isDirectory: true)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["APIARY_SAMPLE_SEED"].flatMap(UInt64.init) ?? SampleBeeDataset.defaultSeed
        let first = environment["APIARY_SAMPLE_FIRST"].flatMap(Int.init) ?? 0
        let count = environment["APIARY_SAMPLE_COUNT"].flatMap(Int.init) ?? 16
        for split in [SampleBeeDataset.Split.train, .test] {
            let range = split == .train ? first..<(first + count) : 0..<min(count, 10)
            var annotated: [RGBImage] = []
            for index in range {
                let sample = try SampleBeeDataset.sample(seed: seed, split: split, index: index)
                var image = try JPEGCodec.decode(sample.jpeg)
                let boxes = sample.boxes.map { BoxDrawing.Box(left: $0.left, top: $0.top, width: $0.width, height: $0.height) }
                BoxDrawing.draw(boxes: boxes, on: &image, color: (255, 0, 255), thickness: 2)
                let name = "\(split)-\(index)-\(sample.fileName.replacingOccurrences(of: ".jpg", with: ".png"))"
                try Data(try PNGCodec.encode(image)).write(to: output.appendingPathComponent(name))
                annotated.append(image)
            }
            let sheet = contactSheet(annotated, columns: 4, cell: 240)
            try Data(try PNGCodec.encode(sheet)).write(to: output.appendingPathComponent("\(split)-sheet-\(first).png"))
        }
    }

    @Test("writes a gallery of large bees", .enabled(if: directory != nil))
    func writeBeeGallery() throws {
        let output = URL(fileURLWithPath: Self.directory!, isDirectory: true)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        var random = SeededRandom(seed: 99)
        let cell = 260
        var scene = SampleScene(width: cell * 4, height: cell * 3)
        BackgroundPainter.fillAll(&scene.canvas) { _, _ in SIMD3(0.55, 0.6, 0.5) }
        for n in 0..<12 {
            let center = SIMD2(Float((n % 4) * cell + cell / 2), Float((n / 4) * cell + cell / 2))
            let look = BeeLook.random(&random)
            let frame = BodyFrame(center: center, heading: -Float.pi / 2 + random.uniform(-0.5, 0.5), length: 200, squash: look.sideView ? 1 : 0.95)
            scene.add(BeePainter.paint(look, frame: frame), isBee: true)
        }
        var image = PhotoFinish.develop(scene.canvas, random: &random)
        let boxes = scene.bees.compactMap { $0.visibleExtent().box }.map {
            BoxDrawing.Box(left: Double($0.left), top: Double($0.top), width: Double($0.width), height: Double($0.height))
        }
        BoxDrawing.draw(boxes: boxes, on: &image, color: (255, 0, 255), thickness: 2)
        try Data(try PNGCodec.encode(image)).write(to: output.appendingPathComponent("bee-gallery.png"))
    }

    /// Thumbnails (box-filtered) in a grid of `cell`-pixel squares.
    private func contactSheet(_ images: [RGBImage], columns: Int, cell: Int) -> RGBImage {
        let rows = (images.count + columns - 1) / columns
        var sheet = RGBImage(width: columns * cell, height: max(rows, 1) * cell, fill: (40, 40, 40))
        for (n, image) in images.enumerated() {
            let scale = Double(max(image.width, image.height)) / Double(cell - 4)
            let w = Int(Double(image.width) / scale)
            let h = Int(Double(image.height) / scale)
            let ox = (n % columns) * cell + (cell - w) / 2
            let oy = (n / columns) * cell + (cell - h) / 2
            for y in 0..<h {
                for x in 0..<w {
                    let sx0 = Int(Double(x) * scale)
                    let sy0 = Int(Double(y) * scale)
                    let sx1 = max(sx0 + 1, min(Int(Double(x + 1) * scale), image.width))
                    let sy1 = max(sy0 + 1, min(Int(Double(y + 1) * scale), image.height))
                    var sum = (0, 0, 0)
                    for sy in sy0..<sy1 {
                        for sx in sx0..<sx1 {
                            let p = image[sx, sy]
                            sum = (sum.0 + Int(p.r), sum.1 + Int(p.g), sum.2 + Int(p.b))
                        }
                    }
                    let n = (sx1 - sx0) * (sy1 - sy0)
                    sheet[ox + x, oy + y] = (UInt8(sum.0 / n), UInt8(sum.1 / n), UInt8(sum.2 / n))
                }
            }
        }
        return sheet
    }
}
