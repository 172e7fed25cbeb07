import ImageCodec
import ModelCore
import Testing

@Suite("Training channels: augmented manifest and image + JSON")
struct TrainingChannelTests {
    /// The course's real output-manifest line (from the spec), one line.
    static let beeLine = #"""
        {"source-ref": "s3://bucket/input/10006450.jpg", "bees-500": {"annotations": [{"class_id": 0, "width": 95.39999999999998, "top": 256.2, "height": 86.80000000000001, "left": 177}], "image_size": [{"width": 500, "depth": 3, "height": 500}]}, "bees-500-metadata": {"job-name": "labeling-job/bees-500", "class-map": {"0": "bee"}, "human-annotated": "yes", "objects": [{"confidence": 0.75}], "creation-date": "2019-05-16T00:15:58.914553", "type": "groundtruth/object-detection"}}
        """#

    static let image = try! PNGCodec.encode(RGBImage(width: 500, height: 500, fill: (10, 200, 10)))

    @Test("an augmented manifest becomes records with pixel boxes and lazy image loading")
    func augmentedManifest() throws {
        let records = try TrainingChannel.augmentedManifest(Self.beeLine + "\n\n", attributeNames: ["source-ref", "bees-500"]) { ref in
            #expect(ref == "s3://bucket/input/10006450.jpg")
            return Self.image
        }
        #expect(records.count == 1)
        #expect(records[0].identifier == "s3://bucket/input/10006450.jpg")
        let box = try #require(records[0].boxes.first)
        #expect(box.classID == 0)
        #expect(box.box.xmin == 177 && box.box.ymin == Float(256.2))
        #expect(abs(box.box.width - 95.4) < 1e-4)
        #expect(try records[0].loadImage().width == 500)
    }

    @Test("a photo stored sideways with an EXIF orientation loads upright, the way its boxes were drawn")
    func exifOrientedImageLoadsUpright() throws {
        // 500 wide, 300 high as stored; EXIF orientation 6 (turn right) makes it 300 wide, 500 high upright.
        let stored = try JPEGCodec.encode(RGBImage(width: 500, height: 300, fill: (200, 120, 10)), quality: 90)
        let tiff: [UInt8] = [0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let app1: [UInt8] = [0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        let sideways = Array(stored[..<2]) + app1 + Array(stored[2...])
        let records = try TrainingChannel.augmentedManifest(Self.beeLine, attributeNames: ["source-ref", "bees-500"]) { _ in sideways }
        let image = try records[0].loadImage()
        #expect(image.width == 300 && image.height == 500)
    }

    @Test("wrong AttributeNames and missing labels are ClientErrors that say what to fix")
    func badChannels() throws {
        let reversed = #expect(throws: TrainingClientError.self) {
            try TrainingChannel.augmentedManifest(Self.beeLine, attributeNames: ["bees-500", "source-ref"]) { _ in [] }
        }
        #expect(reversed?.description.contains("image first, annotation second") == true)
        let missing = #expect(throws: TrainingClientError.self) {
            try TrainingChannel.augmentedManifest(Self.beeLine, attributeNames: ["source-ref", "bees"]) { _ in [] }
        }
        #expect(missing?.description.contains("Record 1 (s3://bucket/input/10006450.jpg) has no attribute 'bees'") == true)
        let garbage = #expect(throws: TrainingClientError.self) {
            try TrainingChannel.augmentedManifest(Self.beeLine + "\n{not json", attributeNames: ["source-ref", "bees-500"]) { _ in [] }
        }
        #expect(garbage?.description.hasPrefix("ClientError: Unable to parse record.") == true)
        #expect(garbage?.description.contains("line 2") == true)
    }

    @Test("the image + JSON annotation format")
    func imageAnnotations() throws {
        let json =
            #"{"file": "images/sample_image1.jpg", "image_size": [{"width": 500, "height": 400, "depth": 3}], "annotations": [{"class_id": 0, "left": 111, "top": 134, "width": 61, "height": 128}], "categories": [{"class_id": 0, "name": "dog"}]}"#
        let records = try TrainingChannel.imageAnnotations([("sample_image1.json", Array(json.utf8))]) { file in
            #expect(file == "images/sample_image1.jpg")
            return Self.image
        }
        #expect(records.map(\.identifier) == ["images/sample_image1.jpg"])
        #expect(records[0].boxes == [GroundTruthBox(classID: 0, box: BoundingBox(x: 111, y: 134, width: 61, height: 128))])
        let bad = #expect(throws: TrainingClientError.self) {
            try TrainingChannel.imageAnnotations([("broken.json", Array("{}".utf8))]) { _ in [] }
        }
        #expect(bad?.description.contains("'broken.json'") == true)
    }
}
