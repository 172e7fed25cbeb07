import Foundation
import GroundTruthFormat
import ImageCodec
import Testing

@testable import LabelStore

@Suite("Sample bee dataset")
struct SampleBeeDatasetTests {
    /// Generates a small dataset into a fresh temporary directory.
    private static func generate(seed: UInt64, count: Int, testCount: Int) throws -> (URL, SampleBeeDataset.Summary) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-bees-\(UUID().uuidString)")
        let summary = try SampleBeeDataset.generate(seed: seed, count: count, testCount: testCount, into: directory)
        return (directory, summary)
    }

    /// Every file under `directory`, relative path → bytes.
    private static func files(in directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            files[String(url.path.dropFirst(directory.path.count))] = try Data(contentsOf: url)
        }
        return files
    }

    @Test("the same seed writes byte-identical files; the manifests describe them")
    func sameSeedSameBytes() throws {
        let (first, summary) = try Self.generate(seed: 42, count: 12, testCount: 2)
        let (second, _) = try Self.generate(seed: 42, count: 12, testCount: 2)
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        let a = try Self.files(in: first)
        let b = try Self.files(in: second)
        #expect(a.count == 12 + 2 + 2)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (path, bytes) in a { #expect(b[path] == bytes, "\(path) differs between runs") }
        #expect(a["/output.manifest"] != nil && a["/test.manifest"] != nil)

        // The manifests parse back to the generator's boxes, one line per image, in index order.
        let lines = try GroundTruthManifest.parse(String(decoding: a["/output.manifest"]!, as: UTF8.self), labelAttributeName: "bees-500")
        #expect(lines.count == 12)
        #expect(summary.boxCount == lines.reduce(0) { $0 + ($1.label?.annotations.count ?? 0) })
        #expect(summary.boxCount >= 8, "a dozen images should hold about a dozen bees")
        for (index, line) in lines.enumerated() {
            let sample = try SampleBeeDataset.sample(seed: 42, index: index)
            #expect(line.sourceRef == "images/" + sample.fileName)
            #expect(line.label?.annotations == sample.boxes)
            #expect(line.label?.imageSize == [GroundTruthImageSize(width: sample.image.width, height: sample.image.height)])
            #expect(line.metadata?.objects?.count == sample.boxes.count)
            #expect(line.metadata?.classMap == ["0": "bee"])
            #expect(line.metadata?.humanAnnotated == "no")
            #expect(a["/images/" + sample.fileName] == Data(sample.jpeg))
            let decoded = try JPEGCodec.decode(sample.jpeg)
            #expect(decoded.width == sample.image.width && decoded.height == sample.image.height)
        }
        let tests = try GroundTruthManifest.parse(String(decoding: a["/test.manifest"]!, as: UTF8.self), labelAttributeName: "bees-500")
        #expect(tests.map(\.sourceRef).allSatisfy { $0.hasPrefix("test/") })
        #expect(Set(tests.map(\.sourceRef).map { $0.dropFirst(5) }).isDisjoint(with: lines.map(\.sourceRef).map { $0.dropFirst(7) }))
    }

    @Test("a different seed gives different images and names")
    func differentSeedDiffers() throws {
        let a = try SampleBeeDataset.sample(seed: 1, index: 0)
        let b = try SampleBeeDataset.sample(seed: 2, index: 0)
        #expect(a.fileName != b.fileName)
        #expect(a.jpeg != b.jpeg)
        #expect(SampleBeeDataset.fileNames(seed: 1, split: .train, count: 50) != SampleBeeDataset.fileNames(seed: 2, split: .train, count: 50))
    }

    @Test("boxes are tight around each bee's visible pixels and inside the image")
    func boxesAreTight() throws {
        var labelled = 0
        for (split, index) in (0..<10).map({ (SampleBeeDataset.Split.train, $0) }) + [(.test, 0), (.test, 1)] {
            let rendered = SampleBeeDataset.render(seed: 7, split: split, index: index)
            let width = rendered.image.width
            let height = rendered.image.height
            for bee in rendered.bees {
                guard let box = bee.box else {
                    // Unlabelled bees are the hidden, cut-off or tiny ones.
                    let extent = bee.mask.visibleExtent().box
                    let small = extent.map { $0.width < 6 || $0.height < 6 } ?? true
                    #expect(small || bee.visibleFraction < SampleComposer.minimumVisibleFraction)
                    continue
                }
                labelled += 1
                #expect(box.left >= 0 && box.top >= 0 && box.left + box.width <= width && box.top + box.height <= height)
                #expect(box.width >= 6 && box.height >= 6)
                var rows = Set<Int>()
                var columns = Set<Int>()
                for y in 0..<height {
                    for x in 0..<width where bee.mask.isVisible(x: x, y: y) {
                        #expect((box.left..<box.left + box.width).contains(x) && (box.top..<box.top + box.height).contains(y))
                        rows.insert(y)
                        columns.insert(x)
                    }
                }
                // Every edge of the box touches the mask.
                #expect(rows.contains(box.top) && rows.contains(box.top + box.height - 1))
                #expect(columns.contains(box.left) && columns.contains(box.left + box.width - 1))
            }
            // The public sample reports exactly the labelled boxes.
            let sample = try SampleBeeDataset.sample(seed: 7, split: split, index: index)
            #expect(
                sample.boxes.map { PixelBox(left: Int($0.left), top: Int($0.top), width: Int($0.width), height: Int($0.height)) } == rendered.boxes
            )
        }
        #expect(labelled >= 8)
    }

    @Test("images look like the course's: 8-digit names, sides of 300-640 px, JPEG quality 80-95")
    func shapedLikeTheCourse() throws {
        let names = SampleBeeDataset.fileNames(seed: 500, split: .train, count: 500)
        #expect(Set(names).count == 500)
        #expect(names.allSatisfy { $0.count == 12 && $0.hasSuffix(".jpg") && Int($0.prefix(8)) != nil })
        #expect(SampleBeeDataset.fileNames(seed: 500, split: .train, count: 3) == Array(names.prefix(3)))
        for index in 0..<4 {
            let rendered = SampleBeeDataset.render(seed: 500, split: .train, index: index)
            #expect((280...640).contains(rendered.image.width) && (280...640).contains(rendered.image.height))
            #expect((80...95).contains(rendered.jpegQuality))
        }
        #expect(
            SampleBeeDataset.creationDate(split: .train, index: 0) == "2019-05-16T00:15:58."
                + String(SampleBeeDataset.creationDate(split: .train, index: 0).suffix(6))
        )
        #expect(SampleBeeDataset.creationDate(split: .train, index: 10_000).hasPrefix("2019-05-17T12:22:38."))
    }
}

@Suite("Sample styles: a second population for held-out quality figures")
struct SampleStyleTests {
    /// Mean bee box side (as a fraction of the image's short side) and bees per image over `count` images.
    static func statistics(_ style: SampleStyle, count: Int) throws -> (side: Double, bees: Double) {
        var sides: [Double] = []
        for index in 0..<count {
            let sample = try SampleBeeDataset.sample(seed: 31, style: style, index: index)
            let short = Double(min(sample.image.width, sample.image.height))
            sides += sample.boxes.map { ($0.width * $0.height).squareRoot() / short }
        }
        return (sides.reduce(0, +) / Double(max(1, sides.count)), Double(sides.count) / Double(count))
    }

    @Test("field draws smaller and more numerous bees than course, from the same seed")
    func fieldDiffers() throws {
        let course = try Self.statistics(.course, count: 40)
        let field = try Self.statistics(.field, count: 40)
        #expect(field.side < 0.8 * course.side, "mean side: field \(field.side), course \(course.side)")
        #expect(field.bees > 1.1 * course.bees, "bees per image: field \(field.bees), course \(course.bees)")
        #expect(try SampleBeeDataset.sample(seed: 31, style: .field, index: 0).jpeg != SampleBeeDataset.sample(seed: 31, index: 0).jpeg)
        #expect(SampleStyle.named("field") == .field && SampleStyle.named("course") == .course && SampleStyle.named("x") == nil)
    }
}
