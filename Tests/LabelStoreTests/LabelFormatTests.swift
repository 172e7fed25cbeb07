import Foundation
import GroundTruthFormat
import Testing

@testable import LabelStore

@Suite("Label formats: Ground Truth manifest, COCO, Pascal VOC, YOLO, Label Studio")
struct LabelFormatTests {
    /// The spec's real bee line (object-detection.md §9.4), with a placeholder bucket.
    static let specLine =
        #"{"source-ref": "s3://bucket/input/10006450.jpg", "bees-500": {"annotations": [{"class_id": 0, "width": 95.39999999999998, "top": 256.2, "height": 86.80000000000001, "left": 177}], "image_size": [{"width": 500, "depth": 3, "height": 500}]}, "bees-500-metadata": {"job-name": "labeling-job/bees-500", "class-map": {"0": "bee"}, "human-annotated": "yes", "objects": [{"confidence": 0.75}], "creation-date": "2019-05-16T00:15:58.914553", "type": "groundtruth/object-detection"}}"#
    /// The fixture's creation date.
    static let labeledAt = Date(timeIntervalSince1970: 1_557_965_758.914553)

    /// Dataset "bees": classes bee, wasp (renamed hornet after labeling), queen (no boxes); a.jpg 500×375 with
    /// fractional boxes, sub/b.png labeled with no box, c.jpg unlabeled, d.jpg stored 40×30 with EXIF orientation
    /// 8 (so 30×40 upright) with a box.
    static func labeledStore() throws -> (LabelStore, Dataset) {
        let store = try LabelStore.inMemory()
        let dataset = try store.ensureDataset(named: "bees")
        try store.addCategories(["bee", "wasp", "queen"], to: dataset)
        let a = try store.addImage(bytes: try TestImages.jpeg(width: 500, height: 375, seed: 1), fileName: "a.jpg", sourceRef: nil, to: dataset).image
        let b = try store.addImage(bytes: try TestImages.png(width: 37, height: 50, seed: 2), fileName: "sub/b.png", sourceRef: nil, to: dataset)
            .image
        _ = try store.addImage(bytes: try TestImages.jpeg(seed: 3), fileName: "c.jpg", sourceRef: nil, to: dataset)
        let rotated = TestImages.withOrientation(try TestImages.jpeg(width: 40, height: 30, seed: 4), 8)
        let d = try store.addImage(bytes: rotated, fileName: "d.jpg", sourceRef: nil, to: dataset).image
        try store.apply(
            [
                .add(imageId: a.id, .init(classId: 0, left: 177, top: 256.2, width: 95.39999999999998, height: 86.80000000000001)),
                .add(imageId: a.id, .init(classId: 1, left: 0.30000000000000004, top: 1.0 / 3, width: 499.69999999999993, height: 2.0 / 3)),
                .add(imageId: a.id, .init(classId: 0, left: 0, top: 0, width: 500, height: 375)),
                .submit(imageId: b.id),
                .add(imageId: d.id, .init(classId: 1, left: 2.5, top: 30, width: 27.5, height: 10)),
            ],
            now: labeledAt
        )
        try store.renameCategory("wasp", to: "hornet", in: dataset)
        return (store, dataset)
    }

    /// All files under `folder`, by relative path.
    static func contents(of folder: URL) throws -> [String: Data] {
        Dictionary(uniqueKeysWithValues: try LabelFiles.files(under: folder).map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) })
    }

    @Test("each format round-trips exactly: same images, sizes, classes and coordinates, and the same files again", arguments: LabelFormat.allCases)
    func roundTrip(format: LabelFormat) throws {
        let (store, dataset) = try Self.labeledStore()
        let first = try TestImages.folder("export-\(format)")
        let second = try TestImages.folder("reexport-\(format)")
        defer { for folder in [first, second] { try? FileManager.default.removeItem(at: folder) } }
        let exported = try store.export(dataset, as: format, to: first)
        #expect(exported.items.map(\.fileName) == ["a.jpg", "sub/b.png", "d.jpg"])
        #expect(exported.categories == ["bee", "hornet", "queen"])

        // Formats with a file per image read them in name order.
        let read = try LabelStore.readLabels(format, from: first)
        #expect(read.categories == exported.categories)
        #expect(read.items.map(\.fileName).sorted() == exported.items.map(\.fileName).sorted())
        for original in exported.items {
            let back = read.items.first { $0.fileName == original.fileName }
            #expect(back?.boxes == original.boxes, "\(format) \(original.fileName)")
            #expect(back?.width == original.width && back?.height == original.height)
        }

        let copy = try LabelStore.inMemory()
        let report = try copy.importLabels(read, into: "bees", now: Self.labeledAt)
        #expect(report.imagesAdded == 3 && report.boxesAdded == 4 && report.categoriesAdded == ["bee", "hornet", "queen"])
        let copied = try copy.labelSet(of: copy.dataset(named: "bees"))
        func sizesAndBoxes(_ set: LabelSet) -> [String: String] {
            Dictionary(uniqueKeysWithValues: set.items.map { ($0.fileName, "\($0.width ?? 0)×\($0.height ?? 0) \($0.boxes)") })
        }
        #expect(sizesAndBoxes(copied) == sizesAndBoxes(exported))
        try copy.export(copy.dataset(named: "bees"), as: format, to: second)
        #expect(try Self.contents(of: second) == Self.contents(of: first))
        // Importing the same file again changes nothing.
        let again = try copy.importLabels(read, into: "bees", now: Self.labeledAt)
        #expect(again.imagesAdded == 0 && again.imagesRelabeled == 0 && again.boxesAdded == 0)
    }

    @Test("what each format writes, spot-checked")
    func layouts() throws {
        let (store, dataset) = try Self.labeledStore()
        let folder = try TestImages.folder("layouts")
        defer { try? FileManager.default.removeItem(at: folder) }
        for format in LabelFormat.allCases { try store.export(dataset, as: format, to: folder.appendingPathComponent(format.rawValue)) }
        let files = try Self.contents(of: folder).mapValues { String(decoding: $0, as: UTF8.self) }
        #expect(
            files.keys.filter { $0.hasPrefix("manifest/images/") }.sorted() == [
                "manifest/images/a.jpg", "manifest/images/d.jpg", "manifest/images/sub/b.png",
            ]
        )
        let manifest = try #require(files["manifest/output.manifest"]).split(separator: "\n")
        #expect(manifest.count == 3)
        #expect(
            manifest[1]
                == #"{"source-ref": "images/sub/b.png", "bees": {"annotations": [], "image_size": [{"width": 37, "depth": 3, "height": 50}]}, "bees-metadata": {"job-name": "labeling-job/bees", "class-map": {"0": "bee", "1": "hornet", "2": "queen"}, "human-annotated": "yes", "objects": [], "creation-date": "2019-05-16T00:15:58.914553", "type": "groundtruth/object-detection"}}"#
        )
        let coco = try #require(files["coco/annotations.json"])
        #expect(
            coco.contains(
                #"{"area":8280.72,"bbox":[177,256.2,95.39999999999998,86.80000000000001],"category_id":1,"id":1,"image_id":1,"iscrowd":0}"#
            ),
            "\(coco)"
        )
        #expect(coco.contains(#"{"file_name":"sub/b.png","height":50,"id":2,"width":37}"#))
        #expect(coco.contains(#"{"id":2,"name":"hornet","supercategory":"none"}"#))
        let voc = try #require(files["voc/Annotations/a.xml"])
        #expect(voc.contains("<width>500</width>") && voc.contains("<name>hornet</name>"))
        #expect(
            voc.contains("<xmin>177</xmin>\n\t\t\t<ymin>256.2</ymin>\n\t\t\t<xmax>272.39999999999998</xmax>\n\t\t\t<ymax>343.00000000000001</ymax>"),
            "\(voc)"
        )
        #expect(files["voc/Annotations/sub/b.xml"]?.contains("<size>\n\t\t<width>37</width>\n\t\t<height>50</height>") == true)
        #expect(files["voc/classes.txt"] == "bee\nhornet\nqueen\n")
        #expect(files["yolo/labels/sub/b.txt"] == "")
        #expect(files["yolo/labels/d.txt"] == "1 0.54166666666666667 0.875 0.91666666666666667 0.25\n", "\(files["yolo/labels/d.txt"] ?? "")")
        let yolo = try #require(files["yolo/labels/a.txt"]).split(separator: "\n")
        #expect(yolo[2] == "0 0.5 0.5 1 1")
        #expect(yolo.allSatisfy { $0.split(separator: " ").dropFirst().allSatisfy { (0...1).contains(Double($0)!) } })
        #expect(files.keys.contains("yolo/images/d.jpg") && files.keys.contains("voc/JPEGImages/d.jpg"))
        let studio = try #require(files["labelstudio/annotations.json"])
        #expect(studio.contains(#""data":{"image":"images/sub/b.png"}"#) && studio.contains(#""result":[]"#), "\(studio)")
        #expect(studio.contains(#""original_height":375,"original_width":500"#) && studio.contains(#""rectanglelabels":["hornet"]"#))
        #expect(files["labelstudio/classes.txt"] == "bee\nhornet\nqueen\n" && files.keys.contains("labelstudio/images/d.jpg"))
    }

    @Test("YOLO, VOC and Label Studio numbers read back to the very same doubles, for 5,000 random boxes")
    func exactNumbers() {
        var generator = SystemRandomNumberGenerator()
        var failures: [String] = []
        for _ in 0..<5_000 {
            let size = Int.random(in: 1...8000, using: &generator)
            let start = Double.random(in: 0..<Double(size), using: &generator) * (Bool.random(using: &generator) ? 1 : 0.001)
            let length = Double.random(in: 0...(Double(size) - start), using: &generator).nextUp
            guard start + length <= Double(size) else { continue }
            let yolo = YOLOFiles.normalised(start: start, length: length, size: size)
            let back = YOLOFiles.pixels(centre: NumberText.parse(yolo.centre)!, extent: NumberText.parse(yolo.extent)!, size: size)
            if back.start != start || back.length != length { failures.append("yolo \(start) \(length) \(size) → \(back)") }
            let corner = NumberText.parse(NumberText.plain(NumberText.decimal(start) + NumberText.decimal(length)))!
            let width = NumberText.double(corner - NumberText.parse(NumberText.shortest(start))!, scale: size)
            if width != length { failures.append("voc \(start) \(length) → \(width)") }
            for value in [start, length] where LabelStudioFiles.pixels(LabelStudioFiles.percent(value, of: size), of: size) != value {
                failures.append("labelstudio \(value) \(size)")
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(YOLOFiles.normalised(start: 100, length: 50, size: 500) == ("0.25", "0.1"))
        #expect(LabelStudioFiles.percent(100, of: 500) == 20 && LabelStudioFiles.percent(95.39999999999998, of: 500) == Decimal(string: "19.079999999999996"))
    }

    @Test("the spec's Ground Truth line imports, and exports back as the same line (one worker: confidence 0.0)")
    func specLineFixture() throws {
        let folder = try TestImages.folder("fixture")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("output.manifest")
        try Data((Self.specLine + "\n").utf8).write(to: manifest)
        let read = try LabelStore.readLabels(.manifest, from: manifest)
        #expect(read.categories == ["bee"])
        #expect(read.items.first?.fileName == "input/10006450.jpg")
        let image = try TestImages.jpeg(width: 500, height: 500, seed: 9)
        let store = try LabelStore.inMemory()
        try store.importLabels(read, into: "bees-500", now: Self.labeledAt) { reference in
            #expect(reference == "s3://bucket/input/10006450.jpg")
            return image
        }
        let out = folder.appendingPathComponent("out")
        try store.export(store.dataset(named: "bees-500"), as: .manifest, to: out, sourceRefPrefix: "s3://bucket/")
        let line = try String(contentsOf: out.appendingPathComponent("output.manifest"), encoding: .utf8)
        #expect(line == Self.specLine.replacingOccurrences(of: #""confidence": 0.75"#, with: #""confidence": 0.0"#) + "\n")
    }

    @Test("imports refuse what does not fit, naming the file and the reason; nothing is stored")
    func refusals() throws {
        let folder = try TestImages.folder("refusals")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("output.manifest")
        // The labels say 500×375 but the image is upright 375×500 (EXIF orientation 6): the classic EXIF trap.
        try Data(
            (Self.specLine.replacingOccurrences(of: #""width": 500, "depth": 3, "height": 500"#, with: #""width": 500, "depth": 3, "height": 375"#)
                + "\n").utf8
        )
        .write(to: manifest)
        let store = try LabelStore.inMemory()
        let rotated = TestImages.withOrientation(try TestImages.jpeg(width: 500, height: 375), 6)
        let error = #expect(throws: LabelStoreError.self) {
            try store.importLabels(try LabelStore.readLabels(.manifest, from: manifest), into: "bees") { _ in rotated }
        }
        #expect(
            error?.message.contains("the labels say 500×375 but the image is 375×500 after applying its EXIF orientation 6") == true,
            "\(error?.message ?? "")"
        )
        #expect(try store.datasets().isEmpty)

        // A label set whose box names a class it does not have.
        let stray = LabelSet(
            categories: ["bee"],
            items: [
                .init(
                    fileName: "a.jpg",
                    reference: "a.jpg",
                    width: nil,
                    height: nil,
                    boxes: [.init(classId: 3, left: 0, top: 0, width: 1, height: 1)]
                )
            ]
        )
        let strayError = #expect(throws: LabelStoreError.self) { try store.importLabels(stray, into: "bees") { _ in try TestImages.jpeg() } }
        #expect(strayError?.message == "a.jpg: class id 3 is not one of the 1 categories")

        // s3:// source-refs need the object store.
        let s3 = #expect(throws: LabelStoreError.self) { try store.importLabels(try LabelStore.readLabels(.manifest, from: manifest), into: "bees") }
        #expect(s3?.message.contains("needs the daemon's object store") == true)

        // Two label attributes: say which.
        try Data(
            #"{"source-ref": "a.jpg", "x": {"annotations": [], "image_size": [{"width": 1, "height": 1, "depth": 3}]}, "x-metadata": {}, "y": {}, "y-metadata": {}}"#
                .utf8
        )
        .write(to: manifest)
        let ambiguous = #expect(throws: LabelStoreError.self) { try LabelStore.readLabels(.manifest, from: manifest) }
        #expect(ambiguous?.message.contains("several label attributes: x, y") == true)

        // YOLO: a class outside classes.txt.
        let yolo = folder.appendingPathComponent("yolo")
        try FileManager.default.createDirectory(at: yolo.appendingPathComponent("labels"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: yolo.appendingPathComponent("images"), withIntermediateDirectories: true)
        try Data("bee\n".utf8).write(to: yolo.appendingPathComponent("classes.txt"))
        try Data(try TestImages.jpeg()).write(to: yolo.appendingPathComponent("images/a.jpg"))
        try Data("3 0.5 0.5 0.1 0.1\n".utf8).write(to: yolo.appendingPathComponent("labels/a.txt"))
        let badClass = #expect(throws: LabelStoreError.self) { try LabelStore.readLabels(.yolo, from: yolo) }
        #expect(
            badClass?.message.contains("labels/a.txt line 1: expected 'class cx cy w h' with a class of classes.txt (0–0)") == true,
            "\(badClass?.message ?? "")"
        )
    }
}
